// Orchestration between the UI store and the inference worker, as plain functions outside components:
// start the engine, queue files, stream results into the store in batches, cancel, rescore, clear.
import type { AppConfig } from '../shared/config.ts';
import type { ImageUpdate } from '../store/images-slice.ts';
import { useLeaf } from '../store/store.ts';
import type { SessionResult } from '../core/calibration/fit-session.ts';
import { FILE_TIME_LIMIT_MS } from '../core/image/limits.ts';
import { type BackendName, type CalibrateRequest, type CalibrationImage, type Explanation, type FeatureEntry, isCpuBackend, type KeptFile, NO_STAGE_TIMES, type TestFault, type WorkerEvent, type WorkerMemory } from '../worker/protocol.ts';
import { addStageTimes } from '../store/run-slice.ts';
import { chunkSize, poolSize } from './pool-size.ts';
import { FileRegistry } from './file-registry.ts';
import { readStoredThumbs, StoredThumbLoader } from './stored-thumbs.ts';
import { forgetFolder } from './folder-access.ts';
import { InFlight } from './in-flight.ts';
import { spawnInferenceWorker } from './inference-worker.ts';
import { compactProbs, interned } from './compact-result.ts';
import { Watchdog } from './watchdog.ts';
import { InferenceClient } from './worker-client.ts';

/** Thumbnail longest side in pixels (grid cells are ~180 CSS px; 256 stays sharp on 1.4x screens). */
const THUMB_SIZE = 256;
/** Results are applied to the store at most this often: one render per batch, not per image. */
const FLUSH_MS = 250;
/**
 * Silence the worker gets beyond its own per-file limit before it counts as hung: between two images it may
 * also run a calibration fit or a garbage collection. The worker's limit covers decode + model of one file,
 * and with one decode prefetched the gap between two answers stays within it.
 */
const WATCHDOG_GRACE_MS = 15_000;
/** Replacements in a row without a single answer before the engine is declared down (no endless restart loop). */
const MAX_RESTARTS_WITHOUT_PROGRESS = 3;

export interface EngineOptions {
  /** How long the worker may stay silent with images outstanding; shortened only by test builds. */
  readonly watchdogMs?: number;
}

export interface IncomingFile {
  readonly file: File;
  /** Folder-relative path when it came from a folder, else the file name. */
  readonly path: string;
}

const thumbLoader = new StoredThumbLoader(readStoredThumbs, (found) => {
  const known = store().images.byId;
  const arrived = found.filter(([id, blob]) => blob && known[id]);
  for (const [id, blob] of arrived) registry.setThumb(id, blob!);
  store().thumbsArrived(arrived.map(([id]) => id));
});
const registry = new FileRegistry((id, contentKey) => thumbLoader.want(id, contentKey));
let engineConfig: AppConfig | null = null;
let watchdogMs = FILE_TIME_LIMIT_MS + WATCHDOG_GRACE_MS;
/** How many workers the pool grows to once the primary has chosen a CPU backend. */
let poolTarget = 1;
let poolBackend: BackendName | null = null;
let poolGrown = false;
let growTimer: ReturnType<typeof setTimeout> | null = null;
/** An idle engine grows its pool once it has been idle this long (from the primary's start, or its last run). */
const POOL_GROW_DELAY_MS = 2000;
/** When the engine last had images queued or in flight. */
let lastWorkAt = 0;

/**
 * One inference worker of the pool and what the service tracks of it. Lane 0 is the primary: calibration,
 * explanations and test hooks talk to it, and the others pass it the features of what they score.
 */
interface Lane {
  readonly index: number;
  client: InferenceClient | null;
  ready: boolean;
  readonly watchdog: Watchdog;
  /** Images sent to this worker and not answered yet, per request (keyed by the request's controller). */
  readonly inFlight: InFlight<AbortController>;
  restartsWithoutProgress: number;
  /** When this worker was last asked to hold (userIsNavigating). */
  heldAt: number;
}

let lanes: Lane[] = [];
/** Set when the engine could not start or the worker died: queued images fail with it instead of waiting. */
let engineError: string | null = null;
let nextId = 1;
let pending: string[] = [];
const running = new Set<AbortController>();
let buffer: { event: WorkerEvent; at: number }[] = [];
let flushTimer: ReturnType<typeof setTimeout> | null = null;

const store = () => useLeaf.getState();
const primary = (): InferenceClient | null => lanes[0]?.client ?? null;

function warnOnce(warning: string): void {
  const { warnings } = store().engine;
  if (!warnings.includes(warning)) store().engineWarnings([...warnings, warning]);
}

export async function startEngine(config: AppConfig, options: EngineOptions = {}): Promise<void> {
  engineConfig = config;
  watchdogMs = options.watchdogMs ?? FILE_TIME_LIMIT_MS + WATCHDOG_GRACE_MS;
  const nav = globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined;
  poolTarget = poolSize({ cores: nav?.hardwareConcurrency, memoryGb: nav?.deviceMemory, requested: config.workers });
  store().engineWarnings(config.warnings);
  lanes = [newLane(0)];
  await launchWorker(lanes[0]!, config);
}

function newLane(index: number): Lane {
  const lane: Lane = {
    index,
    client: null,
    ready: false,
    inFlight: new InFlight<AbortController>(),
    restartsWithoutProgress: 0,
    heldAt: Number.NEGATIVE_INFINITY,
    watchdog: new Watchdog(watchdogMs, (silentMs) => replaceWorker(lane, { code: 'timeout', why: `the scoring worker stopped responding after ${formatSeconds(silentMs)}` })),
  };
  return lane;
}

/** Starts a lane's worker and loads the model in it; then queued images go to it. */
async function launchWorker(lane: Lane, config: AppConfig): Promise<void> {
  const worker = spawnInferenceWorker(lane.index);
  const c = new InferenceClient(worker, (detail) => {
    // A crash while loading fails init below; once scoring, the worker is replaced instead.
    if (lane.client === c && lane.ready) replaceWorker(lane, { code: 'inference-failed', why: `the scoring worker crashed: ${detail}` });
  });
  lane.client = c;
  try {
    const r = await c.init(config.modelUrl, config.backend, (stage) => lane.index === 0 && store().engineStage(stage));
    if (lane.client !== c) return;
    lane.ready = true;
    if (lane.index === 0) {
      store().engineReady({ backend: r.backend, model: r.model, timings: { ...r.timings, readyAtMs: performance.now() } });
      for (const other of lanes.slice(1)) connectToPrimary(other);
      poolBackend = r.backend.backend;
      // Not at once: loading more models competes with the first image for the cores (a demo visitor's one
      // photo); a run that needs the model grows the pool as soon as more is queued than is in flight.
      lastWorkAt = performance.now();
      growTimer ??= setTimeout(growWhenIdle, POOL_GROW_DELAY_MS);
    } else connectToPrimary(lane);
    store().engineWorkers(lanes.filter((l) => l.ready).length);
    // The manifest's default mode is the CLI's (accuracy first); the app stays on its own setting.
    dispatch();
  } catch (err) {
    if (lane.client !== c) return;
    const message = err instanceof Error ? err.message : String(err);
    if (lane.index === 0) engineDown(message);
    else dropLane(lane, `a scoring worker could not start (${message})`);
  }
}

/**
 * The timer's growth waits for a quiet engine: a reopened folder arrives as batches of store lookups, and a
 * run ending between two batches is no time to load a model (a run that needs the model grows it at once).
 */
function growWhenIdle(): void {
  growTimer = null;
  if (poolGrown) return;
  const quietFor = performance.now() - lastWorkAt;
  if (!engineIdle()) growTimer = setTimeout(growWhenIdle, POOL_GROW_DELAY_MS);
  else if (quietFor < POOL_GROW_DELAY_MS) growTimer = setTimeout(growWhenIdle, POOL_GROW_DELAY_MS - quietFor);
  else growPool();
}

/**
 * More workers once the primary is ready (started after it, so they do not slow the first score). Only for
 * backends that compute on the worker's own thread: GPU backends share one device, where more workers add
 * model copies, not speed.
 */
function growPool(): void {
  if (growTimer !== null) clearTimeout(growTimer);
  if (poolGrown || !engineConfig || poolBackend === null || !isCpuBackend(poolBackend)) return;
  poolGrown = true;
  for (let i = 1; i < poolTarget; i++) {
    const lane = newLane(i);
    lanes.push(lane);
    void launchWorker(lane, engineConfig);
  }
}

/** A secondary passes each image's features to the primary, where calibration finds them all. */
function connectToPrimary(lane: Lane): void {
  const main = lanes[0];
  if (!main?.ready || !main.client || !lane.ready || !lane.client) return;
  const channel = new MessageChannel();
  main.client.addPeer(channel.port1);
  lane.client.sendFeaturesTo(channel.port2);
}

/** A secondary that keeps failing leaves the pool; the others go on. */
function dropLane(lane: Lane, why: string): void {
  lane.watchdog.stop();
  lane.client?.terminate(why);
  lanes = lanes.filter((l) => l !== lane);
  warnOnce(`Scoring with ${lanes.length} worker${lanes.length === 1 ? '' : 's'}: ${why}`);
  store().engineWorkers(lanes.filter((l) => l.ready).length);
  dispatch();
}

/**
 * A worker crashed or hung: it is terminated and a fresh one loads the model. The image it was working on
 * fails with `why`; the others it had not answered go back to the queue; results already received are kept.
 * (A new primary starts with an empty feature cache: calibration only sees images scored after the restart,
 * or read back from the score store.)
 */
function replaceWorker(lane: Lane, cause: { code: 'timeout' | 'inference-failed'; why: string }): void {
  if (!lane.client || !lane.ready || !engineConfig) return;
  lane.watchdog.stop();
  flush();
  const culprit = lane.inFlight.current;
  const requeue: string[] = [];
  let anyCancelled = false;
  for (const [controller, ids] of lane.inFlight.drain()) {
    running.delete(controller);
    const rest = ids.filter((id) => id !== culprit);
    if (controller.signal.aborted) {
      anyCancelled = true;
      store().setStatus(rest, 'cancelled');
    } else requeue.push(...rest);
  }
  if (culprit !== undefined && store().images.byId[culprit]) {
    store().applyUpdates([{ id: culprit, kind: 'failed', error: { code: cause.code, message: `Not scored: ${cause.why}` } }]);
    store().recordResults(0, 1, performance.now());
  }
  const old = lane.client;
  lane.client = null;
  lane.ready = false;
  // Its runs were settled above, so the failures this sends to their requests are not heard.
  old.terminate(`inference worker replaced: ${cause.why}`);
  pending = [...requeue, ...pending];
  if (++lane.restartsWithoutProgress > MAX_RESTARTS_WITHOUT_PROGRESS) {
    const why = `${cause.why} (${MAX_RESTARTS_WITHOUT_PROGRESS} restarts in a row without scoring an image)`;
    return lane.index === 0 ? engineDown(why) : dropLane(lane, why);
  }
  if (engineIdle() && store().run.active) store().finishRun(anyCancelled, performance.now());
  store().engineRestarting(cause.why, lane.index === 0);
  store().engineWorkers(lanes.filter((l) => l.ready).length);
  void launchWorker(lane, engineConfig);
  dispatch();
}

function engineDown(message: string): void {
  engineError = message;
  for (const lane of lanes) {
    lane.watchdog.stop();
    lane.ready = false;
    lane.client?.terminate(`scoring engine down: ${message}`);
    lane.client = null;
  }
  // Whatever the other workers had not answered fails with the rest of the queue.
  for (const lane of lanes) {
    for (const [controller, ids] of lane.inFlight.drain()) {
      running.delete(controller);
      pending.push(...ids);
    }
  }
  store().engineFailed(message);
  dispatch();
}

function formatSeconds(ms: number): string {
  return `${+(ms / 1000).toFixed(1)} s`;
}

/** How long one navigation key keeps scoring out of the page's way: a key every 0.6 s or faster keeps it so. */
const NAVIGATION_HOLD_MS = 600;
/** Holds are sent to a worker at most this often however fast keys repeat. */
const HOLD_RESEND_MS = 200;
/**
 * Keys closer together than this are skimming (an arrow key held down, or tapped several times a second):
 * the primary worker pauses too. With it scoring on, main-thread work per frame while stepping 20 images a
 * second had a p95 of 15.4-16.3 ms against 11.1-11.9 ms with it paused (scratch trace harness, 2,000
 * images queued, alternated builds).
 */
const SKIMMING_MS = 250;
let lastNavigationAt = Number.NEGATIVE_INFINITY;
/** Results wait in the buffer until then (no store update, no render): the user is stepping through images. */
let quietUntil = Number.NEGATIVE_INFINITY;

/**
 * The user is stepping through images (culling view, large view): for a moment the page keeps its frames
 * to itself. The secondary workers pause between images, so a core stays free for the page while the
 * primary scores on; while the user skims (keys less than SKIMMING_MS apart) the primary pauses as well.
 * A held worker is silent on request, so its watchdog counts again from now. Results already in wait until
 * the keys stop (applying a batch re-derives the grid, bursts and the culling order over every image: at
 * 5,000 images that cost frames).
 */
export function userIsNavigating(now = performance.now()): void {
  const skimming = now - lastNavigationAt < SKIMMING_MS;
  lastNavigationAt = now;
  quietUntil = now + NAVIGATION_HOLD_MS;
  for (const lane of lanes) {
    if (lane.index === 0 && !skimming) continue;
    if (!lane.ready || !lane.client || lane.inFlight.size === 0 || now - lane.heldAt < HOLD_RESEND_MS) continue;
    lane.heldAt = now;
    lane.client.hold(NAVIGATION_HOLD_MS);
    lane.watchdog.kick();
  }
}

/** Adds files to the collection and queues them for scoring. */
export function addFiles(incoming: readonly IncomingFile[]): void {
  if (incoming.length === 0) return;
  // Not file.size: for picked or dropped files the browser fetches size and date with a synchronous call per
  // file (0.9-2.1 s for 5,000 here); posting them to the workers pays it a request at a time, overlapping the
  // workers' store lookups, instead of all of it before the grid lists a single file. (A picked folder goes
  // through addListedImages instead: its kept scores show before any size is asked.)
  const items = incoming.map(({ file, path }) => {
    const id = `img-${nextId++}`;
    registry.add(id, file);
    return { id, name: file.name, path };
  });
  store().addImages(items);
  enqueue(items.map((i) => i.id));
}

/** An image found in a folder whose file is not read yet (a folder handle's entry). */
export interface ListedImage {
  readonly name: string;
  readonly path: string;
}

/** A listed image's file as read from its folder, or why it could not be read. */
export type ReadFile = { readonly id: string; readonly file: File } | { readonly id: string; readonly error: string };

/** Listed images whose files are not read yet: the run goes on until they are. */
const unread = new Set<string>();
/** The size and date a listed image's kept score was stored under, until its file is read and checked. */
const keptIdentity = new Map<string, { readonly size: number; readonly lastModified: number }>();

/**
 * Images listed in a folder before their files are read: they join the collection (and the run) at once;
 * `showKeptScores` may show what the store keeps for them, and `filesRead` hands their files on.
 */
export function addListedImages(listed: readonly ListedImage[]): string[] {
  if (listed.length === 0) return [];
  const items = listed.map(({ name, path }) => ({ id: `img-${nextId++}`, name, path }));
  store().addImages(items);
  beginWork(items.length);
  for (const { id } of items) unread.add(id);
  store().setFilesUnread(unread.size);
  return items.map((i) => i.id);
}

/**
 * Shows the scores the store keeps for listed images of `folder` (found by path, in one read) before their
 * files are read, as a catalogue would: each is checked against its file's size and date once read
 * (`filesRead`), and scored again if the file changed. Resolves once shown, or when the store has none.
 */
export async function showKeptScores(folder: string, ids: readonly string[]): Promise<void> {
  const client = primary();
  if (!client) return;
  let kept: readonly KeptFile[];
  try {
    kept = await client.kept(store().settings.mode, folder);
  } catch {
    return; // nothing shown early: each file is looked up as it is read
  }
  const { byId } = store().images;
  const byPath = new Map(ids.flatMap((id) => (unread.has(id) && byId[id] ? [[byId[id].path, id] as const] : [])));
  const at = performance.now();
  for (const k of kept) {
    const id = byPath.get(k.path);
    if (id === undefined) continue;
    keptIdentity.set(id, { size: k.size, lastModified: k.lastModified });
    buffer.push({ event: { type: 'scored', id: 0, imageId: id, result: k.result }, at });
  }
  flush();
}

/**
 * Listed images' files, read from their folder. One whose kept score was stored under the same size and
 * date keeps it (no worker is asked: this is the check); the others are queued, a changed file to be
 * scored again; one that could not be read fails with why.
 */
export function filesRead(read: readonly ReadFile[]): void {
  const toScore: string[] = [];
  const failed: ImageUpdate[] = [];
  /** Shown with a kept score (counted in the run) and now scored again or failed: counted once more. */
  let again = 0;
  const { byId } = store().images;
  for (const r of read) {
    const wasUnread = unread.delete(r.id);
    const kept = keptIdentity.get(r.id);
    keptIdentity.delete(r.id);
    if (!byId[r.id]) continue; // cleared meanwhile
    if ('error' in r) {
      if (!wasUnread) continue;
      if (kept) again++;
      failed.push({ id: r.id, kind: 'failed', error: { code: 'unreadable', message: r.error } });
      continue;
    }
    // A folder handle's file comes with its size and date: a later lookup sends those, not the File.
    registry.add(r.id, r.file, true);
    // Cancelled meanwhile: the file is there to look at, nothing more.
    if (!wasUnread) continue;
    if (kept && kept.size === r.file.size && kept.lastModified === r.file.lastModified) continue;
    if (kept) again++;
    toScore.push(r.id);
  }
  const now = performance.now();
  if (again > 0) store().startRun(again, now);
  if (failed.length > 0) {
    store().applyUpdates(failed);
    store().recordResults(0, failed.length, now);
  }
  store().setFilesUnread(unread.size);
  if (toScore.length > 0) {
    store().setStatus(toScore, 'queued');
    lastWorkAt = now;
    pending.push(...toScore);
    dispatch();
  } else if (engineIdle() && store().run.active) {
    flush();
    store().finishRun(false, now);
  }
}

/** Scores the given images again in the current mode (e.g. after switching fast/accurate). */
export function rescore(ids: readonly string[]): void {
  if (ids.length === 0) return;
  store().setStatus(ids, 'queued');
  enqueue(ids);
}

function enqueue(ids: readonly string[]): void {
  beginWork(ids.length);
  pending.push(...ids);
  dispatch();
}

/** Counts `count` more images into the run (starting one when idle). */
function beginWork(count: number): void {
  // A new run learns afresh whether the store answers (new photos dropped after a reopen are model work).
  if (engineIdle()) storeAnswering = runNeedsModel = false;
  lastWorkAt = performance.now();
  store().startRun(count, performance.now());
}

/** Requests each worker may hold: the next one waits in the worker, so it never idles between requests. */
const REQUESTS_PER_WORKER = 2;
/**
 * While the score store answers (a reopened folder), more, and store-only: each is a store lookup of ~20-90
 * ms, and two in flight left the workers waiting on the page's round trips while it applied results. Files a
 * store-only request finds no score for come back to the queue, so new photos among them are shared out as
 * model work instead of piling up in the worker whose lookup found them.
 */
const REQUESTS_PER_WORKER_FROM_STORE = 6;

function dispatch(): void {
  if (engineError !== null && pending.length > 0) {
    const failed = pending;
    pending = [];
    store().applyUpdates(failed.map((id) => ({ id, kind: 'failed', error: { code: 'inference-failed', message: `Not scored: the scoring engine is unavailable (${engineError})` } })));
    store().recordResults(0, failed.length, performance.now());
    if (running.size === 0) store().finishRun(false, performance.now());
    return;
  }
  const ready = lanes.filter((l) => l.ready && l.client);
  // Not while a run is all store lookups (a reopened folder): they gain nothing from more workers, and a
  // model loading beside them took the cores they need (reopening 5,000 files ~2.38 -> ~2.09 s, scratch).
  // A file that needs the model grows the pool then (modelWorkMet).
  if (!poolGrown && poolBackend !== null && pending.length > 1 && runNeedsModel) growPool();
  for (const lane of ready) {
    while (pending.length > 0) {
      // While the store answers, lookups only; files one sent back go to a request that may run the model.
      const storeOnly = storeAnswering && !needsModel.has(pending[0]!);
      if (lane.inFlight.requests >= (storeOnly ? REQUESTS_PER_WORKER_FROM_STORE : REQUESTS_PER_WORKER)) break;
      const ids = pending.splice(0, chunkSize(pending.length, ready.length, storeOnly));
      if (!storeOnly) for (const id of ids) needsModel.delete(id);
      sendToWorker(lane, ids, storeOnly);
    }
  }
}

/** Sent back by a store-only request (no stored score): only a request that may run the model takes them. */
const needsModel = new Set<string>();

/** Nothing queued, nothing in flight and no listed file waiting to be read. */
function engineIdle(): boolean {
  return running.size === 0 && pending.length === 0 && unread.size === 0;
}

/** This run has met a file the score store does not hold (model work): from then on more workers pay. */
let runNeedsModel = false;

/** The last request that ended was answered (nearly) all from the score store: no model work to balance. */
let storeAnswering = false;
/** A request counts as store-answered from this share of stored answers. */
const STORE_ANSWERED_SHARE = 0.9;

/**
 * The run needs the model: the pool grows if more is queued than is in flight. A demo visitor's one photo
 * has the cores to itself (the timer grows the pool once the engine is quiet).
 */
function modelWorkMet(): void {
  if (runNeedsModel) return;
  runNeedsModel = true;
  if (!poolGrown && pending.length > 0) growPool();
}

function sendToWorker(lane: Lane, ids: string[], storeOnly = false): void {
  const client = lane.client!;
  const known = store().images.byId;
  const jobs = ids.flatMap((imageId) => {
    const file = registry.file(imageId);
    // A lookup needs only name, size and date: sent without the File where they are at hand, since posting
    // a File clones its blob (a browser round trip each: 5,000 in a reopened folder).
    return file ? [{ imageId, file: (storeOnly && registry.identity(imageId)) || file, path: known[imageId]?.path }] : [];
  });
  const controller = new AbortController();
  running.add(controller);
  lane.inFlight.add(controller, jobs.map((j) => j.imageId));
  // Already counting down for earlier images: this request waits behind them, so the count goes on.
  if (jobs.length > 0 && !lane.watchdog.armed) lane.watchdog.kick();
  let answered = 0;
  let fromStore = 0;
  let notStored = 0;
  const onEvent = (event: WorkerEvent) => {
    if (event.type === 'model-work') return modelWorkMet();
    if (event.type === 'not-stored') {
      // Model work after all: back to the front of the queue, balanced from now on.
      for (const id of event.imageIds) {
        lane.inFlight.answered(controller, id);
        needsModel.add(id);
      }
      notStored += event.imageIds.length;
      pending.unshift(...event.imageIds);
      storeAnswering = false;
      modelWorkMet();
      return;
    }
    if (event.type !== 'scored' && event.type !== 'image-failed') return;
    answered++;
    if (event.type === 'scored' && event.result.cached) fromStore++;
    else modelWorkMet();
    lane.inFlight.answered(controller, event.imageId);
    lane.restartsWithoutProgress = 0;
    if (lane.inFlight.size > 0) lane.watchdog.kick();
    else lane.watchdog.stop();
    const at = performance.now();
    buffer.push({ event, at });
    // The first result after a quiet spell shows at once (a demo visitor's photo); during a run results are
    // applied in batches, one render per flushGap, and not while the user navigates.
    if (at - lastFlushAt >= flushGap && flushTimer === null && at >= quietUntil) flush();
    else flushTimer ??= setTimeout(flushWhenQuiet, Math.max(flushGap, quietUntil - at));
  };
  const finished = (cancelled: boolean) => {
    // Settled already if its worker was replaced meanwhile.
    if (!running.has(controller)) return;
    if (answered + notStored > 0) storeAnswering = fromStore >= STORE_ANSWERED_SHARE * (answered + notStored);
    lane.inFlight.end(controller);
    if (lane.inFlight.size === 0) lane.watchdog.stop();
    running.delete(controller);
    lastWorkAt = performance.now();
    // Results wait for the next batch while other requests run (a reopened folder's store answers end
    // requests in quick succession, and a render per request kept the page too busy to send the next ones).
    if (cancelled || running.size === 0) flush();
    if (cancelled) store().setStatus(ids, 'cancelled');
    if (engineIdle()) store().finishRun(cancelled, performance.now());
    else dispatch();
  };
  const mode = store().settings.mode;
  postInTurn(() => {
    // Settled before its turn came (its worker was replaced, the engine went down): its files are requeued.
    if (!running.has(controller)) return;
    client
      .score(jobs, mode, THUMB_SIZE, { signal: controller.signal, onEvent, storeOnly })
      .then((done) => {
        if (done.storeOff) warnOnce(`Scores are not kept for next time: ${done.storeOff}`);
        finished(done.cancelled);
      })
      .catch((err: unknown) => {
        if (!running.has(controller)) return;
        const message = err instanceof Error ? err.message : String(err);
        store().applyUpdates(ids.filter((id) => store().images.byId[id]?.status === 'queued').map((id) => ({ id, kind: 'failed', error: { code: 'inference-failed', message } })));
        finished(false);
      });
  });
}

/** Requests waiting for their turn to be posted; null when none is (the next is posted at once). */
let postQueue: (() => void)[] | null = null;

/**
 * Posts score requests one per task. Posting a File makes the browser fetch its size and date, a round
 * trip each: a drop of 200 photos sent as four requests at once was one task of 108-161 ms on the page
 * (bench:speed's longest page task). Which worker gets which files is still decided at once.
 */
function postInTurn(post: () => void): void {
  if (postQueue) {
    postQueue.push(post);
    return;
  }
  post();
  postQueue = [];
  setTimeout(postNext, 0);
}

function postNext(): void {
  const next = postQueue?.shift();
  if (!next) {
    postQueue = null;
    return;
  }
  next();
  setTimeout(postNext, 0);
}

let lastFlushAt = Number.NEGATIVE_INFINITY;
/**
 * Time between batches: FLUSH_MS, or longer when applying one (store update and render) takes more than a
 * FLUSH_COST_SHARE of it, as with thousands of images where every batch regroups them all: the page keeps
 * most of its time for the user and for handing files to the workers.
 */
let flushGap = FLUSH_MS;
const FLUSH_COST_SHARE = 0.25;

/** The batch timer: applies the results, unless the user is navigating, then once the keys stop. */
function flushWhenQuiet(): void {
  const wait = quietUntil - performance.now();
  if (wait <= 0) return flush();
  flushTimer = setTimeout(flushWhenQuiet, wait);
}

function flush(): void {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = null;
  lastFlushAt = performance.now();
  if (buffer.length === 0) return;
  const batch = buffer;
  buffer = [];
  const { engine } = store();
  const updates: ImageUpdate[] = [];
  const t0 = performance.now();
  let scored = 0;
  let failed = 0;
  let stages = NO_STAGE_TIMES;
  let modelScored = 0;
  const known = store().images.byId;
  for (const { event } of batch) {
    if (event.type !== 'scored' && event.type !== 'image-failed') continue;
    if (!known[event.imageId]) continue; // cleared while in flight
    if (event.type === 'scored') {
      const r = event.result;
      if (r.thumb) registry.setThumb(event.imageId, r.thumb);
      else if (r.thumbInStore) registry.setStoredThumb(event.imageId, r.contentKey);
      scored++;
      if (!r.cached) {
        modelScored++;
        stages = addStageTimes(stages, r.ms);
      }
      updates.push({
        id: event.imageId,
        kind: 'scored',
        score: {
          raw: r.score,
          probs: compactProbs(r.probs),
          mode: interned(r.mode),
          backend: interned(r.backend),
          modelVersion: engine.model!.version,
          ...(r.patches.length ? { patches: r.patches } : {}),
          ...(r.cached ? { stored: true as const } : {}),
        },
        width: r.width,
        height: r.height,
        downscaledFrom: r.downscaledFrom,
        format: interned(r.format),
        hasThumb: r.thumb !== null || r.thumbInStore,
        contentKey: r.contentKey,
        capturedAt: r.capturedAt,
        embedding: r.embedding,
      });
    } else {
      failed++;
      updates.push({ id: event.imageId, kind: 'failed', error: event.error });
    }
  }
  store().applyUpdates(updates);
  store().recordResults(scored, failed, batch[batch.length - 1]!.at, { stages, modelScored, applyMs: performance.now() - t0 });
  // Queued after the store update: where React renders it in a microtask queued during the update, that
  // render is counted too.
  queueMicrotask(() => (flushGap = Math.max(FLUSH_MS, (performance.now() - t0) / FLUSH_COST_SHARE)));
}

/** Stops the run: the image being scored finishes, the rest are marked cancelled. */
export function cancel(): void {
  // Listed files not read yet: those without a kept score are cancelled; the reads still hand the files on.
  const dropped = [...pending, ...unread];
  pending = [];
  unread.clear();
  keptIdentity.clear();
  store().setFilesUnread(0);
  needsModel.clear();
  if (dropped.length > 0) store().setStatus(dropped, 'cancelled');
  for (const c of running) c.abort();
  if (running.size === 0 && store().run.active) store().finishRun(true, performance.now());
}

export function clearAll(): void {
  cancel();
  registry.clear();
  for (const lane of lanes) void lane.client?.forget('all');
  store().clearImages();
  store().clearView();
  store().closeCulling();
  forgetFolder();
}

/** The thumbnail of an image as an object URL (made when first shown), or null. */
export function thumbUrlOf(id: string): string | null {
  return registry.thumbUrl(id);
}

/** The File behind an image (large view, compare). */
export function fileOf(id: string): File | undefined {
  return registry.file(id);
}

/** Test builds only (see TestFault): the worker misbehaves on its next image. */
export function injectWorkerFault(fault: TestFault): Promise<void> {
  const client = primary();
  if (!client) return Promise.reject(new Error('engine not started'));
  return client.testFault(fault);
}

/** Memory of all workers together (test builds only). */
export async function workerMemory(): Promise<WorkerMemory> {
  const clients = lanes.flatMap((l) => (l.ready && l.client ? [l.client] : []));
  if (clients.length === 0) throw new Error('engine not started');
  const all = await Promise.all(clients.map((c) => c.memory()));
  const sum = (pick: (m: WorkerMemory) => number | null) => (all.some((m) => pick(m) === null) ? null : all.reduce((n, m) => n + pick(m)!, 0));
  return {
    numTensors: sum((m) => m.numTensors)!,
    numBytes: sum((m) => m.numBytes)!,
    wasmHeapBytes: sum((m) => m.wasmHeapBytes),
    jsHeapBytes: sum((m) => m.jsHeapBytes),
    featureCount: sum((m) => m.featureCount)!,
    featureBytes: sum((m) => m.featureBytes)!,
  };
}

/** Why an image scores as it does: its quality map and the reasons measured on the file. */
export function explainImage(id: string): Promise<Explanation> {
  const file = registry.file(id);
  const client = primary();
  if (!client) return Promise.reject(new Error('engine not started'));
  if (!file) return Promise.reject(new Error(unread.has(id) ? 'its file is still being read from the folder; try again in a moment' : 'the file is no longer available'));
  return client.explain(file);
}

/** Every image with a score, as calibration sees it: the page holds these, so the worker keeps nothing per image. */
function calibrationImages(ids: readonly string[] = store().images.order): CalibrationImage[] {
  const { byId } = store().images;
  return ids.flatMap((id) => {
    const it = byId[id];
    return it?.score && it.contentKey ? [{ imageId: id, contentKey: it.contentKey, mode: it.score.mode, score: it.score.raw }] : [];
  });
}

export function featuresOf(ids: readonly string[]): Promise<readonly FeatureEntry[]> {
  const client = primary();
  if (!client) return Promise.reject(new Error('engine not started'));
  return client.features(calibrationImages(ids));
}

/** Calibration refit in the worker (issue #4) over every scored image; null when superseded by a newer request. */
export function fitCalibrationInWorker(req: Omit<CalibrateRequest, 'id' | 'type' | 'images'>): Promise<SessionResult | null> {
  const client = primary();
  if (!client) return Promise.reject(new Error('engine not started'));
  return client.fitCalibration({ ...req, images: calibrationImages() });
}
