// The worker replacement in the scoring service, with a scripted fake worker and fake timers: a hung or
// crashed worker is terminated, a new one loads the model, the image it was on fails with the reason, the
// rest of the queue is scored by the new worker, and results already in stay.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ImageJob, type ImageResult, type KeptFile, NO_STAGE_TIMES, type WorkerEvent, type WorkerRequest } from '../worker/protocol.ts';
import type { useLeaf as UseLeaf } from '../store/store.ts';

/** Each fake worker answers init at once and scores images until it meets one named in `stuckOn`. */
class FakeWorker {
  static all: FakeWorker[] = [];
  static stuckOn = new Set<string>();
  static crashOn = new Set<string>();
  static storeOff: string | null = null;
  /** Answer as the score store would (cached results). */
  static fromStore = false;
  /** Names the score store holds (answered as cached; a store-only request sends the others back). */
  static storedNames = new Set<string>();
  /** What the store keeps for a folder's paths (a 'kept' request's answer). */
  static kept: KeptFile[] = [];
  onmessage: ((e: { data: WorkerEvent }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  terminated = false;
  /** Stuck or crashed: like a real worker, it answers nothing more (later requests wait behind the stuck one). */
  dead = false;
  readonly scoredHere: string[] = [];
  /** Ports received: as primary ('peer'), as secondary ('feature-sink'). */
  peers = 0;
  sinks = 0;
  /** Images per score request received. */
  readonly requestSizes: number[] = [];
  /** Names this worker ran the model on (not answered from the store). */
  readonly modelScored: string[] = [];
  /** What each store-only job carried: the File, or only its identity. */
  lookupsSent: ('file' | 'identity')[] = [];
  storeOnlyRequests = 0;
  /** Holds asked of this worker (ms each). */
  readonly holds: number[] = [];

  constructor() {
    FakeWorker.all.push(this);
  }

  private send(event: WorkerEvent): void {
    queueMicrotask(() => !this.terminated && this.onmessage?.({ data: event }));
  }

  postMessage(req: WorkerRequest): void {
    if (req.type === 'hold' && !this.terminated) this.holds.push(req.ms);
    if (this.terminated || this.dead) return;
    if (req.type === 'peer') this.peers++;
    if (req.type === 'feature-sink') this.sinks++;
    if (req.type === 'init') {
      this.send({ type: 'ready', id: req.id, backend: { backend: 'cpu', forced: false, reason: '', skipped: [], detail: '' }, model: { name: 'm', version: 'v1', output: { name: 's', min: 1, max: 5, description: '' }, defaultMode: 'fast', bytes: 1 }, timings: { backendMs: 0, loadMs: 0, warmUpMs: 0 } });
    }
    if (req.type === 'kept') this.send({ type: 'kept', id: req.id, files: FakeWorker.kept.filter((k) => k.path.startsWith(`${req.folder}/`)) });
    if (req.type !== 'score') return;
    this.requestSizes.push(req.jobs.length);
    const name = (job: ImageJob) => (job.file as { name: string }).name;
    const isStored = (job: ImageJob) => FakeWorker.fromStore || FakeWorker.storedNames.has(name(job));
    if (req.storeOnly) {
      this.storeOnlyRequests++;
      for (const job of req.jobs) this.lookupsSent.push(job.file instanceof Blob ? 'file' : 'identity');
      const missing = req.jobs.filter((j) => !isStored(j)).map((j) => j.imageId);
      if (missing.length > 0) this.send({ type: 'not-stored', id: req.id, imageIds: missing });
    }
    if (!req.storeOnly && req.jobs.some((j) => !isStored(j))) this.send({ type: 'model-work', id: req.id });
    for (const job of req.jobs) {
      const stored = isStored(job);
      if (req.storeOnly && !stored) continue;
      if (!stored) this.modelScored.push(name(job));
      if (FakeWorker.stuckOn.delete(job.imageId)) {
        this.dead = true; // silent from here on
        return;
      }
      if (FakeWorker.crashOn.delete(job.imageId)) {
        this.dead = true;
        queueMicrotask(() => this.onerror?.({ message: 'Uncaught RangeError: out of memory', preventDefault() {} }));
        return;
      }
      this.scoredHere.push(job.imageId);
      this.send({ type: 'scored', id: req.id, imageId: job.imageId, result: { ...scoredResult(job.imageId), cached: stored } });
    }
    this.send({ type: 'done', id: req.id, cancelled: false, scored: req.jobs.length, failed: 0, storeOff: FakeWorker.storeOff });
  }

  terminate(): void {
    this.terminated = true;
  }
}

/** A result as the fake worker scores it (score 3 unless told, keyed by what it is given). */
const scoredResult = (contentKey: string, score = 3): ImageResult => ({
  contentKey,
  score,
  probs: [0.2, 0.2, 0.2, 0.2, 0.2],
  mode: 'fast',
  width: 1,
  height: 1,
  downscaledFrom: null,
  format: 'jpeg',
  thumb: null,
  thumbInStore: false,
  patches: [],
  ms: NO_STAGE_TIMES,
  capturedAt: null,
  embedding: 'e',
  backend: 'cpu',
  cached: false,
});

/** The store of the service under test: modules are reset per test, so it is imported with the service. */
let useLeaf: typeof UseLeaf;
const file = (name: string) => ({ file: new File([name], name), path: name });
/** `n` files the fake worker's store holds (a reopened folder's). */
const storedFiles = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => {
    FakeWorker.storedNames.add(`${prefix}${i}.jpg`);
    return file(`${prefix}${i}.jpg`);
  });
const status = () => Object.fromEntries(Object.values(useLeaf.getState().images.byId).map((i) => [i.name, i.status]));
const errorOf = (name: string) => Object.values(useLeaf.getState().images.byId).find((i) => i.name === name)?.error;

describe('scoring service worker pool and watchdog', () => {
  beforeEach(() => {
    vi.stubGlobal(
      'MessageChannel',
      class {
        port1 = {};
        port2 = {};
      },
    );
    vi.resetModules();
    vi.useFakeTimers();
    vi.stubGlobal('Worker', FakeWorker);
    FakeWorker.all = [];
    FakeWorker.stuckOn.clear();
    FakeWorker.crashOn.clear();
    FakeWorker.storeOff = null;
    FakeWorker.fromStore = false;
    FakeWorker.storedNames.clear();
    FakeWorker.kept = [];
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  async function start(workers = 1) {
    ({ useLeaf } = await import('../store/store.ts'));
    const service = await import('./scoring-service.ts');
    await service.startEngine({ backend: null, modelName: 'm', modelUrl: 'http://x/models/m/', workers, warnings: [] }, { watchdogMs: 5000 });
    return service;
  }

  it('replaces a worker that stops answering: its image fails with the wait, the rest are scored by the new one', async () => {
    const service = await start();
    service.addFiles([file('a.jpg'), file('b.jpg')]);
    await vi.advanceTimersByTimeAsync(200);
    expect(status()).toEqual({ 'a.jpg': 'scored', 'b.jpg': 'scored' });

    FakeWorker.stuckOn.add('img-4');
    service.addFiles([file('c.jpg'), file('d.jpg'), file('e.jpg')]);
    await vi.advanceTimersByTimeAsync(4900);
    expect(FakeWorker.all).toHaveLength(1);
    expect(status()['d.jpg']).toBe('queued');

    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWorker.all).toHaveLength(2);
    expect(FakeWorker.all[0]!.terminated).toBe(true);
    expect(status()).toEqual({ 'a.jpg': 'scored', 'b.jpg': 'scored', 'c.jpg': 'scored', 'd.jpg': 'failed', 'e.jpg': 'scored' });
    expect(errorOf('d.jpg')).toEqual({ code: 'timeout', message: 'Not scored: the scoring worker stopped responding after 5 s' });
    expect(FakeWorker.all[1]!.scoredHere).toEqual(['img-5']);
    expect(useLeaf.getState().engine).toMatchObject({ status: 'ready', restarts: 1, restartReason: 'the scoring worker stopped responding after 5 s' });
    expect(useLeaf.getState().run).toMatchObject({ active: false, total: 3, scored: 2, failed: 1 });
  });

  it('spreads a queue over a pool of workers, each secondary wired to pass its features to the primary', async () => {
    const service = await start(2);
    await vi.advanceTimersByTimeAsync(10);
    // The pool grows a while after the primary is ready (the first image has the cores to itself).
    expect(FakeWorker.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(FakeWorker.all).toHaveLength(2);
    expect(FakeWorker.all[1]!.sinks).toBe(1);
    expect(FakeWorker.all[0]!.peers).toBe(1);
    expect(useLeaf.getState().engine.workers).toBe(2);
    service.addFiles('abcdefghijklmnop'.split('').map((n) => file(`${n}.jpg`)));
    await vi.advanceTimersByTimeAsync(500);
    expect(Object.values(status())).toEqual(Array(16).fill('scored'));
    const [a, b] = FakeWorker.all.map((w) => w.scoredHere.length) as [number, number];
    expect(a + b).toBe(16);
    expect(Math.min(a, b)).toBeGreaterThanOrEqual(4);
    expect(useLeaf.getState().run).toMatchObject({ active: false, total: 16, scored: 16 });
  });

  it('replaces a hung secondary without stopping the engine: the others go on scoring', async () => {
    const service = await start(2);
    await vi.advanceTimersByTimeAsync(2010);
    // Requests of one image each, two per worker: a, b to the primary, c, d to the secondary.
    FakeWorker.stuckOn.add('img-3');
    service.addFiles(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => file(`${n}.jpg`)));
    await vi.advanceTimersByTimeAsync(6000);
    expect(FakeWorker.all).toHaveLength(3);
    expect(FakeWorker.all.map((w) => w.terminated)).toEqual([false, true, false]);
    expect(status()).toEqual({ 'a.jpg': 'scored', 'b.jpg': 'scored', 'c.jpg': 'failed', 'd.jpg': 'scored', 'e.jpg': 'scored', 'f.jpg': 'scored' });
    expect(useLeaf.getState().engine).toMatchObject({ status: 'ready', restarts: 1, workers: 2 });
    expect(FakeWorker.all[0]!.peers).toBe(2);
  });

  it('grows the pool at once when more is queued than the primary holds', async () => {
    const service = await start(2);
    await vi.advanceTimersByTimeAsync(10);
    service.addFiles(['a', 'b', 'c'].map((n) => file(`${n}.jpg`)));
    await vi.advanceTimersByTimeAsync(10);
    expect(FakeWorker.all).toHaveLength(2);
    expect(Object.values(status())).toEqual(Array(3).fill('scored'));
  });

  it('holds only the workers with work while the user navigates, without their silence counting as a hang', async () => {
    const service = await start(2);
    await vi.advanceTimersByTimeAsync(2010);
    // The secondary goes silent on c (as a held worker does); the primary answers everything.
    FakeWorker.stuckOn.add('img-3');
    service.addFiles(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => file(`${n}.jpg`)));
    // Keys for 8 s, 10 a second (the watchdog allows 5 s of silence): held, not replaced.
    for (let t = 0; t < 8000; t += 100) {
      service.userIsNavigating(Date.now());
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(FakeWorker.all).toHaveLength(2);
    expect(FakeWorker.all[0]!.holds).toEqual([]);
    // At most one hold per 200 ms, however fast keys come.
    expect(FakeWorker.all[1]!.holds.length).toBe(40);
    expect(new Set(FakeWorker.all[1]!.holds)).toEqual(new Set([600]));
    // Keys stop: a worker still silent after the watchdog's wait is hung after all, and replaced.
    await vi.advanceTimersByTimeAsync(5100);
    expect(FakeWorker.all).toHaveLength(3);
    expect(status()['c.jpg']).toBe('failed');
    // An idle pool is not held: nothing is in flight.
    await vi.advanceTimersByTimeAsync(1000);
    const before = FakeWorker.all.map((w) => w.holds.length);
    service.userIsNavigating(Date.now());
    expect(FakeWorker.all.map((w) => w.holds.length)).toEqual(before);
  });

  it('holds the primary as well while the user skims (keys under 250 ms apart), not at a deliberate pace', async () => {
    const service = await start(2);
    await vi.advanceTimersByTimeAsync(2010);
    // Both workers go silent on their first image (as held workers do): each has work in flight.
    for (let n = 1; n <= 6; n++) FakeWorker.stuckOn.add(`img-${n}`);
    service.addFiles(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => file(`${n}.jpg`)));
    await vi.advanceTimersByTimeAsync(10);
    const holds = () => FakeWorker.all.map((w) => w.holds.length);
    // A key every 400 ms: the secondary holds, the primary scores on.
    for (let t = 0; t < 2000; t += 400) {
      service.userIsNavigating(Date.now());
      await vi.advanceTimersByTimeAsync(400);
    }
    expect(holds()).toEqual([0, 5]);
    // Then every 100 ms for 1 s: from the second key on, the primary holds too (at most once per 200 ms each).
    for (let t = 0; t < 1000; t += 100) {
      service.userIsNavigating(Date.now());
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(holds()).toEqual([5, 10]);
    expect(FakeWorker.all).toHaveLength(2);
  });

  it('keeps results out of the store while the user navigates, and applies them once the keys stop', async () => {
    const service = await start(1);
    await vi.advanceTimersByTimeAsync(10);
    service.addFiles([file('a.jpg')]);
    await vi.advanceTimersByTimeAsync(10);
    expect(status()).toEqual({ 'a.jpg': 'scored' }); // a first result shows at once
    // Keys every 100 ms for 2 s while b and c are scored (d keeps the run going): nothing is applied meanwhile.
    FakeWorker.stuckOn.add('img-4');
    service.userIsNavigating();
    service.addFiles([file('b.jpg'), file('c.jpg'), file('d.jpg')]);
    const waiting = { 'a.jpg': 'scored', 'b.jpg': 'queued', 'c.jpg': 'queued', 'd.jpg': 'queued' };
    for (let t = 0; t < 2000; t += 100) {
      await vi.advanceTimersByTimeAsync(100);
      expect(status()).toEqual(waiting);
      service.userIsNavigating();
    }
    await vi.advanceTimersByTimeAsync(599);
    expect(status()).toEqual(waiting);
    await vi.advanceTimersByTimeAsync(1);
    expect(status()).toEqual({ ...waiting, 'b.jpg': 'scored', 'c.jpg': 'scored' });
  });

  it('balances model work with shrinking requests, but sends whole lookups once the store answers', async () => {
    const service = await start(1);
    await vi.advanceTimersByTimeAsync(10);
    const names = (prefix: string) => Array.from({ length: 40 }, (_, i) => file(`${prefix}${i}.jpg`));
    service.addFiles(names('new'));
    await vi.advanceTimersByTimeAsync(500);
    const worker = FakeWorker.all[0]!;
    expect(worker.requestSizes.slice(-3)).toEqual([1, 1, 1]);
    worker.requestSizes.length = 0;
    FakeWorker.fromStore = true;
    service.addFiles(names('old'));
    await vi.advanceTimersByTimeAsync(500);
    // Two requests are sent before any answer; once one tells that the store answers, the rest goes in one.
    expect(worker.requestSizes).toEqual([10, 8, 22]);
    expect(Object.values(status()).every((s) => s === 'scored')).toBe(true);
    // New photos after that are model work again: the next run starts balanced.
    worker.requestSizes.length = 0;
    FakeWorker.fromStore = false;
    service.addFiles(names('late'));
    await vi.advanceTimersByTimeAsync(500);
    expect(worker.requestSizes.slice(0, 2)).toEqual([10, 8]);
  });

  it('posts a drop\'s score requests one per task, at most 64 files each: the page never clones hundreds of files at once', async () => {
    const service = await start(2);
    await vi.advanceTimersByTimeAsync(2010);
    expect(FakeWorker.all).toHaveLength(2);
    service.addFiles(Array.from({ length: 200 }, (_, i) => file(`p${i}.jpg`)));
    // Four requests of 25 are handed out at once, two per worker; only the first is posted in this task.
    expect(FakeWorker.all.map((w) => w.requestSizes)).toEqual([[25], []]);
    await vi.advanceTimersByTimeAsync(500);
    expect(Object.values(status())).toEqual(Array(200).fill('scored'));
    expect(FakeWorker.all.every((w) => w.requestSizes.length > 0)).toBe(true);
    service.addFiles(Array.from({ length: 2000 }, (_, i) => file(`q${i}.jpg`)));
    await vi.advanceTimersByTimeAsync(2000);
    expect(Object.values(status()).filter((x) => x === 'scored')).toHaveLength(2200);
    expect(Math.max(...FakeWorker.all.flatMap((w) => w.requestSizes))).toBe(64);
  });

  it('adds store-only lookups while the store answers; new photos among them come back and are shared out as model work', async () => {
    const service = await start(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(FakeWorker.all).toHaveLength(2);
    // A reopened folder with 200 new photos after 1,600 scored before.
    const old = storedFiles('old', 1600);
    service.addFiles([...old, ...Array.from({ length: 200 }, (_, i) => file(`new${i}.jpg`))]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(Object.values(status()).every((s) => s === 'scored')).toBe(true);
    const [a, b] = FakeWorker.all as [FakeWorker, FakeWorker];
    expect(a.storeOnlyRequests + b.storeOnlyRequests).toBeGreaterThan(0);
    // Each new photo through the model exactly once, by both workers, none of the stored ones.
    const model = [...a.modelScored, ...b.modelScored].sort();
    expect(model).toEqual(Array.from({ length: 200 }, (_, i) => `new${i}.jpg`).sort());
    expect(Math.min(a.modelScored.length, b.modelScored.length)).toBeGreaterThan(50);
    expect(useLeaf.getState().run).toMatchObject({ active: false, total: 1800, scored: 1800, failed: 0 });
  });

  it('answers a reopened folder from the store with one worker, growing the pool only once the engine is quiet', async () => {
    const service = await start(2);
    await vi.advanceTimersByTimeAsync(10);
    // A reopened folder arrives in batches as the browser lists it, each answered from the store before the
    // next; the pool's timer (2 s after the primary is ready) falls among them: no second model loads.
    for (let batch = 0; batch < 10; batch++) {
      service.addFiles(storedFiles(`old${batch}-`, 100));
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(Object.values(status()).every((s) => s === 'scored')).toBe(true);
    expect(FakeWorker.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1500);
    expect(FakeWorker.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(600);
    expect(FakeWorker.all).toHaveLength(2);
  });

  it("leaves a demo visitor's one photo the cores: the pool grows after 2 s of quiet", async () => {
    const service = await start(2);
    await vi.advanceTimersByTimeAsync(10);
    service.addFiles([file('a.jpg')]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(status()).toEqual({ 'a.jpg': 'scored' });
    expect(FakeWorker.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(FakeWorker.all).toHaveLength(2);
  });

  it('grows the pool during a reopen as soon as a file needs the model', async () => {
    const service = await start(2);
    await vi.advanceTimersByTimeAsync(10);
    service.addFiles(storedFiles('old', 600));
    await vi.advanceTimersByTimeAsync(20);
    expect(FakeWorker.all).toHaveLength(1);
    service.addFiles([file('new1.jpg'), file('new2.jpg'), file('new3.jpg')]);
    await vi.advanceTimersByTimeAsync(20);
    expect(FakeWorker.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(500);
    expect(Object.values(status()).every((s) => s === 'scored')).toBe(true);
  });

  it('sends lookups only the name, size and date of files read from a folder handle, other files whole', async () => {
    const service = await start(1);
    await vi.advanceTimersByTimeAsync(10);
    FakeWorker.fromStore = true;
    const named = (prefix: string) => Array.from({ length: 300 }, (_, i) => file(`${prefix}${i}.jpg`));
    const fromHandle = named('handle');
    const ids = service.addListedImages(fromHandle.map((f) => ({ name: f.file.name, path: f.path })));
    service.filesRead(fromHandle.map((f, i) => ({ id: ids[i]!, file: f.file })));
    await vi.advanceTimersByTimeAsync(500);
    service.addFiles(named('picked'));
    await vi.advanceTimersByTimeAsync(500);
    const worker = FakeWorker.all[0]!;
    // The first requests of each run may run the model (they carry Files); lookups after them follow the file's origin.
    expect(worker.lookupsSent.length).toBeGreaterThan(300);
    const firstPicked = worker.lookupsSent.indexOf('file');
    expect(new Set(worker.lookupsSent.slice(0, firstPicked))).toEqual(new Set(['identity']));
    expect(new Set(worker.lookupsSent.slice(firstPicked))).toEqual(new Set(['file']));
    expect(Object.values(status()).every((s) => s === 'scored')).toBe(true);
  });

  it("shows a reopened folder's kept scores before its files are read, then checks each file against them", async () => {
    const service = await start(1);
    await vi.advanceTimersByTimeAsync(10);
    const worker = FakeWorker.all[0]!;
    const names = ['a', 'b', 'c', 'd', 'e'];
    // Kept for a, b, c and e as files of 4 bytes dated 1000; d is new.
    FakeWorker.kept = ['a', 'b', 'c', 'e'].map((n) => ({ path: `shoot/${n}.jpg`, size: 4, lastModified: 1000, result: { ...scoredResult(`kept-${n}`, 2), cached: true } }));
    FakeWorker.kept.push({ path: 'other/a.jpg', size: 4, lastModified: 1000, result: scoredResult('other-a') });
    const ids = service.addListedImages(names.map((n) => ({ name: `${n}.jpg`, path: `shoot/${n}.jpg` })));
    expect(useLeaf.getState().filesUnread).toBe(5);
    await service.showKeptScores('shoot', ids);
    expect(status()).toEqual({ 'a.jpg': 'scored', 'b.jpg': 'scored', 'c.jpg': 'scored', 'd.jpg': 'queued', 'e.jpg': 'scored' });
    expect(useLeaf.getState().images.byId[ids[0]!]!.contentKey).toBe('kept-a');
    await vi.advanceTimersByTimeAsync(1000);
    // Nothing is scored before its file is read, and the run lasts until every file is.
    expect(worker.requestSizes).toEqual([]);
    expect(useLeaf.getState().run.active).toBe(true);
    expect(service.fileOf(ids[0]!)).toBeUndefined();

    const bytes = (n: number, lastModified: number, name: string) => new File(['x'.repeat(n)], name, { lastModified });
    service.filesRead([
      { id: ids[0]!, file: bytes(4, 1000, 'a.jpg') }, // as kept
      { id: ids[1]!, file: bytes(5, 1000, 'b.jpg') }, // edited: another size
      { id: ids[2]!, file: bytes(4, 2000, 'c.jpg') }, // touched: another date
    ]);
    expect(useLeaf.getState().filesUnread).toBe(2);
    service.filesRead([
      { id: ids[3]!, file: bytes(1, 1000, 'd.jpg') },
      { id: ids[4]!, error: 'The file is no longer in its folder (moved or deleted since the folder was listed)' },
    ]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(worker.modelScored).toEqual(['b.jpg', 'c.jpg', 'd.jpg']);
    expect(status()).toEqual({ 'a.jpg': 'scored', 'b.jpg': 'scored', 'c.jpg': 'scored', 'd.jpg': 'scored', 'e.jpg': 'failed' });
    expect(errorOf('e.jpg')).toEqual({ code: 'unreadable', message: expect.stringContaining('no longer in its folder') });
    expect(useLeaf.getState().images.byId[ids[0]!]!.contentKey).toBe('kept-a');
    expect(useLeaf.getState().images.byId[ids[1]!]!.contentKey).toBe(ids[1]);
    expect(service.fileOf(ids[0]!)?.size).toBe(4);
    // Shown from the store (4), then b and c scored again and e failed: each counted once more.
    expect(useLeaf.getState().run).toMatchObject({ active: false, total: 8, scored: 7, failed: 1 });
    expect(useLeaf.getState().filesUnread).toBe(0);
  });

  it('cancelling while a folder is read cancels the files without a kept score; the reads still bring the files to look at', async () => {
    const service = await start(1);
    await vi.advanceTimersByTimeAsync(10);
    FakeWorker.kept = [{ path: 'shoot/a.jpg', size: 4, lastModified: 1000, result: scoredResult('kept-a') }];
    const ids = service.addListedImages(['a', 'b'].map((n) => ({ name: `${n}.jpg`, path: `shoot/${n}.jpg` })));
    await service.showKeptScores('shoot', ids);
    service.cancel();
    expect(status()).toEqual({ 'a.jpg': 'scored', 'b.jpg': 'cancelled' });
    expect(useLeaf.getState().run.active).toBe(false);
    service.filesRead([
      { id: ids[0]!, file: new File(['x'], 'a.jpg') },
      { id: ids[1]!, file: new File(['y'], 'b.jpg') },
    ]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWorker.all[0]!.requestSizes).toEqual([]);
    expect(status()).toEqual({ 'a.jpg': 'scored', 'b.jpg': 'cancelled' });
    expect(service.fileOf(ids[1]!)).toBeDefined();
  });

  it('says once, among the engine warnings, why scores are not kept for next time', async () => {
    const service = await start();
    FakeWorker.storeOff = 'QuotaExceededError';
    service.addFiles([file('a.jpg')]);
    await vi.advanceTimersByTimeAsync(200);
    service.addFiles([file('b.jpg')]);
    await vi.advanceTimersByTimeAsync(200);
    expect(status()).toEqual({ 'a.jpg': 'scored', 'b.jpg': 'scored' });
    expect(useLeaf.getState().engine.warnings).toEqual(['Scores are not kept for next time: QuotaExceededError']);
  });

  it('replaces a worker that crashes, naming the error, without waiting for the watchdog', async () => {
    const service = await start();
    FakeWorker.crashOn.add('img-1');
    service.addFiles([file('a.jpg'), file('b.jpg')]);
    await vi.advanceTimersByTimeAsync(200);
    expect(status()).toEqual({ 'a.jpg': 'failed', 'b.jpg': 'scored' });
    expect(errorOf('a.jpg')).toEqual({ code: 'inference-failed', message: 'Not scored: the scoring worker crashed: Uncaught RangeError: out of memory' });
    expect(FakeWorker.all.map((w) => w.terminated)).toEqual([true, false]);
  });

  it('gives up after repeated replacements that score nothing, failing the queue instead of looping', async () => {
    const service = await start();
    for (let i = 1; i <= 6; i++) FakeWorker.crashOn.add(`img-${i}`);
    service.addFiles(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => file(`${n}.jpg`)));
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWorker.all).toHaveLength(4);
    expect(useLeaf.getState().engine.status).toBe('failed');
    expect(useLeaf.getState().engine.error).toMatch(/crashed: .*3 restarts in a row/);
    expect(Object.values(status())).toEqual(Array(6).fill('failed'));
    expect(useLeaf.getState().run.active).toBe(false);
  });
});
