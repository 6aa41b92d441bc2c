// The inference worker: picks a backend, loads the student, scores files one after another and streams
// results back. Message dispatch only; the pieces live in the modules it imports.
import { fitSessionHead, MAX_TEACHER_SAMPLES, needsFeatures, predictSessionItems, type SessionItem, sessionResult } from '../core/calibration/fit-session.ts';
import { teacherCandidates } from '../core/calibration/teacher-labels.ts';
import type { ScoreMode } from '../core/model/score-mode.ts';
import { sha256HexAsync } from '../core/model/sha256.ts';
import { forEachPrefetched } from '../core/prefetch.ts';
import { HoldGate } from '../core/hold-gate.ts';
import { loadManifest, loadStudent, type Student } from '../core/model/student.ts';
import { type ImageFeatures, measureUnseenNoise } from '../core/model/features.ts';
import { explainChoice, planBackends } from './backend-choice.ts';
import { memoryStats, startBackend, stopBackend } from './backends.ts';
import { prefaultWasmHeap } from './wasm-heap.ts';
import { SharedLoad } from './shared-load.ts';
import { probeCapabilities, probeWebGl } from './capabilities.ts';
import { ImageDecodeError, imageErrors } from '../core/image/image-error.ts';
import { FILE_TIME_LIMIT_MS } from '../core/image/limits.ts';
import { withTimeLimit } from '../core/time-limit.ts';
import { type DecodedImage, decodeImage } from './decode.ts';
import { burstEmbedding, packEmbedding } from '../core/culling/bursts.ts';
import { HEADER_BYTES } from '../core/image/image-header.ts';
import { measuredReasons } from '../core/image/measured-reasons.ts';
import { FeatureCache } from './feature-cache.ts';
import { type Lookup, ScoreStore } from './score-store.ts';
import type { StoredScore } from './score-record.ts';
import {
  type BackendName,
  type BackendReport,
  type CalibrateRequest,
  type FeatureRef,
  type ImageError,
  type ImageJob,
  type ImageResult,
  type InitStage,
  isCpuBackend,
  NO_STAGE_TIMES,
  type PeerMessage,
  type PortLike,
  type ReadyEvent,
  type ScoredEvent,
  type StageTimes,
  STORE_LOOKUP_FILES,
  type TestFault,
  type WorkerEvent,
  type WorkerRequest,
} from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

/**
 * Rows kept in memory while the score store holds every image's features (at most ~38 MB): a shoot of up
 * to ~2,000 images calibrates from memory alone; past that, a refit with a residual head reads the older
 * rows back from the store, a chunk at a time. Without a store every row stays (its only copy).
 */
const RECENT_FEATURES = 2048;
const features = new FeatureCache(RECENT_FEATURES);
/**
 * Content keys of the most recently hashed images (a bounded memo): a rescore does not read and hash the
 * file again (with a score store its identity index finds the key of any file it has seen).
 */
const contentKeys = new Map<string, string>();
const KNOWN_KEYS = 512;
const cancelled = new Set<number>();
/** Asked for by the page while the user navigates (secondary workers only); checked before each image. */
const hold = new HoldGate();
let student: Promise<Student> | null = null;
/** Scores of earlier sessions (IndexedDB), for the loaded model; set once the model is ready. */
let scoreStore: ScoreStore | null = null;
let storeOff: string | null = null;
let backendName: BackendName = 'cpu';
let queue: Promise<void> = Promise.resolve();
/** Set in a secondary worker of a pool: features go to the primary, where calibration runs, not kept here. */
let featureSink: PortLike | null = null;
/** Test builds only: the fault to act out on the next image (see TestFault). */
let testFault: TestFault | null = null;

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  self.postMessage(event, transfer);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function modelReader(modelUrl: string) {
  return async (name: string): Promise<ArrayBuffer> => {
    const url = new URL(name, modelUrl).href;
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      // Single-page-app servers answer unknown paths with index.html: that is a missing file, not a model file.
      if (res.headers.get('content-type')?.includes('text/html')) throw new Error('not found (the server returned a web page)');
      return await res.arrayBuffer();
    } catch (err) {
      // Offline and not routed through the service worker yet: read its cache directly.
      const hit = typeof caches !== 'undefined' ? await caches.match(url, { ignoreSearch: true, ignoreVary: true }) : undefined;
      if (hit) return hit.arrayBuffer();
      throw new Error(`cannot load model file ${name} from ${url} (${message(err)})`);
    }
  };
}

/**
 * The model reader with every file the manifest lists already on its way, so the downloads run while the
 * backend starts (wasm compile) instead of after it. Each file is still read (and checked) by loadStudent.
 */
function prefetching(read: (name: string) => Promise<ArrayBuffer>): (name: string) => Promise<ArrayBuffer> {
  const started = new Map<string, Promise<ArrayBuffer>>();
  const get = (name: string) => {
    let p = started.get(name);
    if (!p) {
      p = read(name);
      started.set(name, p);
      // Failures are reported when loadStudent asks for the file, not as unhandled rejections here.
      p.catch(() => undefined);
    }
    return p;
  };
  loadManifest(get)
    .then((manifest) => Object.keys(manifest.files).forEach(get))
    .catch(() => undefined);
  return get;
}

function backendDetail(name: BackendName, caps: Awaited<ReturnType<typeof probeCapabilities>>): string {
  if (name === 'wasm') return caps.wasm.simd ? 'SIMD, 1 thread' : 'no SIMD, 1 thread';
  if (name === 'webgl') return caps.webgl.renderer || probeWebGl().renderer;
  if (name === 'webgpu' && caps.webgpu.kind === 'adapter') return [caps.webgpu.vendor, caps.webgpu.architecture].filter(Boolean).join(' ');
  return 'pure JavaScript';
}

/**
 * Heap the model's weights (dequantized, and packed again by XNNPACK) and a first Quick image take beyond
 * the backend's initial 16 MB: the wasm heap stood at 58 MB after the first score (bench:speed's first-score
 * paragraph). Touched before the weights load, while their files are still downloading.
 */
const FIRST_IMAGE_HEAP_BYTES = 48 << 20;

type InitRequest = Extract<WorkerRequest, { type: 'init' }>;
type ReadyBody = Omit<ReadyEvent, 'id'>;

async function init(req: InitRequest, progress: (stage: InitStage) => void): Promise<{ student: Student; ready: ReadyBody }> {
  const t0 = performance.now();
  const readModel = prefetching(modelReader(req.modelUrl));
  progress('backend');
  // The wasm backend (its binary fetched and compiled) starts while the GPU is probed, which can take a
  // good part of a second (bench:speed's "backend init" fell by half); where a GPU backend is chosen after
  // all, wasm stays initialised and unused.
  const wasmEarly = req.backend === null || req.backend === 'wasm' ? startBackend('wasm') : null;
  const caps = await probeCapabilities(req.backend);
  const plan = planBackends(caps, req.backend);
  // No other backend starts while wasm's is still starting: TF.js's setBackend calls must not interleave.
  const wasmEarlyError = wasmEarly ? await wasmEarly : null;
  const failures: { backend: BackendName; reason: string }[] = [];
  let chosen: BackendName | null = null;
  for (const name of plan.order) {
    // Once started, setting wasm again is immediate (and needed after a GPU backend failed to start).
    const error = name === 'wasm' && wasmEarlyError !== null ? wasmEarlyError : await startBackend(name);
    if (error === null) {
      chosen = name;
      break;
    }
    failures.push({ backend: name, reason: error });
    stopBackend(name);
  }
  if (!chosen) throw new Error(`no TF.js backend could start: ${failures.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`);
  const backend: BackendReport = {
    backend: chosen,
    forced: plan.forced === chosen,
    reason: explainChoice(plan, chosen, failures),
    skipped: [...plan.skipped, ...failures],
    detail: backendDetail(chosen, caps),
  };
  const t1 = performance.now();
  progress('model');
  if (chosen === 'wasm') prefaultWasmHeap(FIRST_IMAGE_HEAP_BYTES);
  const s = await loadStudent(readModel);
  const t2 = performance.now();
  const m = s.manifest;
  scoreStore = new ScoreStore(m.version, m.features.length, (reason) => {
    storeOff = reason;
    // Features no longer reach the store: the rows in memory are all calibration will have.
    features.capacity = Infinity;
  });
  scoreStore.warm();
  backendName = chosen;
  // GPU backends compile their pipelines on the first run (15-60 s on a software adapter): that happens here,
  // not inside the first image's time limit. On the CPU backends an image already waiting (a demo visitor's
  // photo) warms the model up itself, or the warm-up runs once the worker is idle.
  const gpu = !isCpuBackend(chosen);
  if (gpu) {
    progress('warm-up');
    await s.warmUp();
  }
  const t3 = performance.now();
  const ready: ReadyBody = {
    type: 'ready',
    backend,
    model: {
      name: m.name,
      version: m.version,
      output: m.output,
      defaultMode: m.input.defaultMode,
      bytes: Object.values(m.files).reduce((n, f) => n + f.bytes, 0),
    },
    timings: { backendMs: t1 - t0, loadMs: t2 - t1, warmUpMs: t3 - t2 },
  };
  if (!gpu) warmUpWhenIdle(s);
  return { student: s, ready };
}

/** The model's load, shared by the page's first script's init and the engine's. */
const modelLoad = new SharedLoad<InitStage, { student: Student; ready: ReadyBody }>({
  progress: (id, stage) => post({ type: 'init-progress', id, stage }),
  done: (id, loaded) => post({ ...loaded.ready, id }),
  failed: (id, err) => fail(id, err),
});

/** Once a scoring request came, there is nothing left to warm up for. */
let scoringAsked = false;
/** Long enough for a score request sent on 'ready' to arrive first. */
const IDLE_WARM_UP_DELAY_MS = 250;

/** Runs the model once on a blank image if nothing was sent to score meanwhile: later first images are not slowed. */
function warmUpWhenIdle(s: Student): void {
  setTimeout(() => {
    if (scoringAsked) return;
    queue = queue.then(() => s.warmUp()).catch(() => undefined);
  }, IDLE_WARM_UP_DELAY_MS);
}

type Prepared =
  | { ok: true; image: DecodedImage; contentKey: string; ms: number; hashMs: number }
  /** Content scored before (under another name or date): its stored result, nothing decoded. */
  | { ok: true; kept: StoredScore; contentKey: string }
  | { ok: false; error: ImageError };

const failure = (err: unknown): Prepared => ({
  ok: false,
  error: err instanceof ImageDecodeError ? { code: err.code, message: err.message } : { code: 'decode-failed', message: message(err) },
});

const hashFile = (file: Blob): Promise<string> =>
  withTimeLimit(file.arrayBuffer().then(sha256HexAsync), FILE_TIME_LIMIT_MS, () => imageErrors.timeout(FILE_TIME_LIMIT_MS, 'reading'));

async function prepare(job: ImageJob, thumbSize: number, mode: ScoreMode): Promise<Prepared> {
  const t = performance.now();
  const file = job.file;
  // The page sends identities only in store-only requests, whose misses come back to it as 'not-stored'.
  if (!(file instanceof Blob)) return failure(new Error('Not scored: the page sent no file to read'));
  let hashMs = 0;
  let contentKey = contentKeys.get(job.imageId);
  if (contentKey === undefined && scoreStore && !storeOff) {
    // A file the store does not know by name, size and date: hashed first, since content scored before
    // (a copied or renamed folder) needs no decoding at all. New photos pay the hash before the decode
    // instead of beside it, a few ms against the model's ~130.
    try {
      contentKey = await hashFile(file);
    } catch (err) {
      return failure(err);
    }
    hashMs = performance.now() - t;
    rememberKey(job.imageId, contentKey);
    const kept = await scoreStore.byContent({ file, path: job.path }, contentKey, mode);
    if (kept) return { ok: true, kept, contentKey };
  }
  const key =
    contentKey !== undefined
      ? Promise.resolve(contentKey)
      : hashFile(file).then((k) => ((hashMs = performance.now() - t), k));
  // A decoder that never answers costs this file, not the batch: the late image is simply dropped.
  const decoded = withTimeLimit(Promise.all([decodeImage(file, thumbSize), key]), FILE_TIME_LIMIT_MS, () => imageErrors.timeout(FILE_TIME_LIMIT_MS, 'decoding'));
  return decoded.then(([image, k]) => {
    rememberKey(job.imageId, k);
    return { ok: true as const, image, contentKey: k, ms: performance.now() - t, hashMs };
  }, failure);
}


async function score(req: Extract<WorkerRequest, { type: 'score' }>): Promise<void> {
  if (!student) throw new Error('score before init');
  const s = await student;
  const mode: ScoreMode = req.mode;
  const counts = { scored: 0, failed: 0 };
  const saves: Promise<void>[] = [];
  let modelWorkSaid = false;
  for (let i = 0; i < req.jobs.length && !cancelled.has(req.id); i += STORE_LOOKUP_FILES) {
    const chunk = req.jobs.slice(i, i + STORE_LOOKUP_FILES);
    const found = (await scoreStore?.lookup(chunk, mode)) ?? chunk.map((): Lookup => ({}));
    const answered: ScoredEvent[] = [];
    const toScore = chunk.filter((job, k) => !answerFromStore(req.id, job, mode, found[k]!, answered));
    counts.scored += answered.length;
    if (answered.length > 0) post({ type: 'batch', id: req.id, events: answered });
    if (req.storeOnly) {
      if (toScore.length > 0) post({ type: 'not-stored', id: req.id, imageIds: toScore.map((j) => j.imageId) });
    } else {
      if (toScore.length > 0 && !modelWorkSaid) {
        post({ type: 'model-work', id: req.id });
        modelWorkSaid = true;
      }
      await scoreWithModel(req, s, toScore, counts, saves);
    }
  }
  await Promise.all(saves);
  const wasCancelled = cancelled.delete(req.id);
  post({ type: 'done', id: req.id, cancelled: wasCancelled, ...counts, storeOff });
}

/** Adds a stored score to `answered` (true) or notes the known content key so the file is not hashed again (false). */
function answerFromStore(requestId: number, job: ImageJob, mode: ScoreMode, found: Lookup, answered: ScoredEvent[]): boolean {
  if (found.contentKey) rememberKey(job.imageId, found.contentKey);
  const hit = found.stored;
  if (!hit || !found.contentKey) return false;
  answered.push(storedEvent(requestId, job, found.contentKey, mode, hit));
  return true;
}

function storedEvent(requestId: number, job: ImageJob, contentKey: string, mode: ScoreMode, hit: StoredScore): ScoredEvent {
  return { type: 'scored', id: requestId, imageId: job.imageId, result: storedResult(contentKey, mode, hit) };
}

function storedResult(contentKey: string, mode: ScoreMode, hit: StoredScore): ImageResult {
  const { backend, hasThumb, ...shown } = hit;
  // The thumbnail stays in the store until a card shows the image (the page reads it there).
  return { ...shown, thumb: null, thumbInStore: hasThumb, contentKey, mode, backend, cached: true, ms: NO_STAGE_TIMES };
}

/** The scores kept for a folder's files: read beside any scoring (the store allows it), once the model is known. */
async function keptUnder(req: Extract<WorkerRequest, { type: 'kept' }>): Promise<void> {
  if (!student) throw new Error('kept before init');
  await student;
  const kept = (await scoreStore?.keptUnder(req.folder, req.mode)) ?? [];
  post({ type: 'kept', id: req.id, files: kept.map((k) => ({ path: k.path, size: k.size, lastModified: k.lastModified, result: storedResult(k.contentKey, req.mode, k.stored) })) });
}

function rememberKey(imageId: string, contentKey: string): void {
  contentKeys.delete(imageId);
  contentKeys.set(imageId, contentKey);
  if (contentKeys.size > KNOWN_KEYS) contentKeys.delete(contentKeys.keys().next().value!);
}

/** What calibration will need of an image: kept here, or (secondary worker) passed to the primary. */
function keep(msg: PeerMessage): void {
  if (featureSink) featureSink.postMessage(msg);
  else adopt(msg);
}

function adopt(msg: PeerMessage): void {
  features.set(msg.imageId, { mode: msg.mode, features: msg.features });
}

/** Features of these images: recent rows from memory, the rest from the score store (null where neither has them). */
async function featuresOf(refs: readonly FeatureRef[]): Promise<(Float32Array | null)[]> {
  // Copies: a cached row is a view that scoring may overwrite while the store is read.
  const out = refs.map((r): Float32Array | null => {
    const hit = features.get(r.imageId);
    return hit && hit.mode === r.mode ? hit.features.slice() : null;
  });
  const missing = refs.flatMap((_, i) => (out[i] ? [] : [i]));
  if (missing.length > 0 && scoreStore) {
    const stored = await scoreStore.features(missing.map((i) => refs[i]!));
    missing.forEach((i, k) => (out[i] = stored[k] ?? null));
  }
  return out;
}

async function scoreWithModel(
  req: Extract<WorkerRequest, { type: 'score' }>,
  s: Student,
  jobs: readonly ImageJob[],
  counts: { scored: number; failed: number },
  saves: Promise<void>[],
): Promise<void> {
  const mode = req.mode;
  // One decode in flight ahead of inference: createImageBitmap decodes off this thread meanwhile. A cancel
  // stops before the next image; a prefetch it leaves is awaited so its bitmap is closed. (Batches of 4
  // Quick images through the backbone were tried: no faster here, `bench:gpu --backend wasm --batches 1,4`.)
  await forEachPrefetched(
    jobs,
    (job) => prepare(job, req.thumbSize, mode),
    async (prep, job) => {
      if (__LEAF_TEST_HOOK__ && testFault) await actOutTestFault(testFault);
      if (!prep.ok) {
        counts.failed++;
        post({ type: 'image-failed', id: req.id, imageId: job.imageId, error: prep.error });
        return;
      }
      if ('kept' in prep) {
        counts.scored++;
        post(storedEvent(req.id, job, prep.contentKey, mode, prep.kept));
        return;
      }
      // Only the model's work waits while the user navigates: answers from the store cost the page nothing.
      await hold.passed();
      try {
        // The model's share of the per-file limit: what is left after decoding.
        const left = Math.max(1, FILE_TIME_LIMIT_MS - prep.ms);
        const result = await withTimeLimit(s.features(prep.image.pixels, mode), left, () => imageErrors.timeout(FILE_TIME_LIMIT_MS, 'decoding and scoring'));
        postScored(req, s, job, prep, result, saves);
        counts.scored++;
      } catch (err) {
        counts.failed++;
        const error = err instanceof ImageDecodeError ? { code: err.code, message: err.message } : { code: 'inference-failed' as const, message: `Scoring failed: ${message(err)}` };
        post({ type: 'image-failed', id: req.id, imageId: job.imageId, error });
      }
    },
    () => cancelled.has(req.id),
  );
}

function postScored(
  req: Extract<WorkerRequest, { type: 'score' }>,
  s: Student,
  job: ImageJob,
  prep: Extract<Prepared, { image: DecodedImage }>,
  { features: f, patches, ms: modelMs }: ImageFeatures,
  saves: Promise<void>[],
): void {
  const { image } = prep;
  const mode = req.mode;
  const t = performance.now();
  const out = s.scoreFeatures(f, mode);
  keep({ type: 'features', imageId: job.imageId, mode, features: f });
  const shown = {
    score: out.score,
    probs: out.probs,
    width: image.pixels.width,
    height: image.pixels.height,
    downscaledFrom: image.downscaledFrom,
    format: image.format,
    patches,
    capturedAt: image.capturedAt,
    embedding: packEmbedding(burstEmbedding(f, s.manifest.features.taps)),
  };
  const ms: StageTimes = { 'read+hash': prep.hashMs, ...image.ms, ...modelMs, head: performance.now() - t };
  if (scoreStore) saves.push(scoreStore.save(job, prep.contentKey, mode, { ...shown, hasThumb: image.thumb !== null, backend: backendName }, image.thumb, f));
  post({ type: 'scored', id: req.id, imageId: job.imageId, result: { ...shown, thumb: image.thumb, thumbInStore: false, contentKey: prep.contentKey, mode, backend: backendName, cached: false, ms } });
}

/** Test builds only: misbehaves the way a broken decoder or model would, so the main thread must step in. */
function actOutTestFault(fault: TestFault): Promise<never> {
  testFault = null;
  // Synchronous code that never returns: nothing inside the worker can interrupt it.
  if (fault === 'hang') for (;;) Math.random();
  if (fault === 'exit') self.close();
  else {
    // Thrown from a task of its own so it is uncaught (an error event), not a rejected promise.
    setTimeout(() => {
      throw new Error('test fault: the worker was told to crash');
    });
  }
  // Never settles: the image is not scored by this worker.
  return new Promise<never>(() => {});
}

/** The quality map and measured reasons of one file; runs beside scoring (between its awaits), not behind it. */
async function explain(req: Extract<WorkerRequest, { type: 'explain' }>): Promise<void> {
  if (!student) throw new Error('explain before init');
  const s = await student;
  const [image, head] = await Promise.all([decodeImage(req.file, 0), req.file.slice(0, HEADER_BYTES).arrayBuffer()]);
  const map = await s.qualityMap(image.pixels);
  const noise = s.manifest.features.measures?.includes('unseen-noise') ? measureUnseenNoise(image.pixels, s.manifest.input.modes.accurate) : 0;
  post({ type: 'explained', id: req.id, explanation: { map, reasons: measuredReasons(image.pixels, new Uint8Array(head), noise) } });
}

let latestCalibrate = 0;

/** Images whose features a prediction pass reads at a time: memory per refit stays flat, whatever the session's size. */
const PREDICT_CHUNK = 256;

/**
 * Refits with the exact core calibration code; superseded requests end quietly. Only the rated images'
 * and the teacher's candidates' features are read for the fit; every image's only when the fit has a
 * residual head, and then a chunk at a time.
 */
async function calibrateNow(req: CalibrateRequest): Promise<void> {
  latestCalibrate = req.id;
  const superseded = () => latestCalibrate !== req.id;
  const quit = () => post({ type: 'calibrated', id: req.id, result: null, superseded: true });
  // Let any newer request already queued arrive first: then this one is superseded before any work.
  await new Promise((r) => setTimeout(r, 0));
  if (superseded() || !student) return quit();
  const s = await student;
  const { images } = req;
  const withZ = async (refs: readonly (typeof images)[number][]): Promise<SessionItem[]> => {
    const vectors = await featuresOf(refs);
    return refs.map((r, i) => ({ id: r.imageId, score: r.score, z: vectors[i] ? s.standardise(vectors[i], r.mode) : undefined }));
  };
  const present = new Set(images.map((i) => i.imageId));
  const rated = new Set(req.ratings.filter((r) => present.has(r.imageId) && Number.isFinite(r.value)).map((r) => r.imageId));
  const judged = (req.teacher ?? []).filter((l) => present.has(l.imageId));
  const fitIds = new Set([...rated, ...teacherCandidates(judged, rated, MAX_TEACHER_SAMPLES)]);
  const fitItems = new Map((await withZ(images.filter((i) => fitIds.has(i.imageId)))).map((it) => [it.id, it]));
  if (superseded()) return quit();
  const head = fitSessionHead({
    items: images.map((i) => fitItems.get(i.imageId) ?? { id: i.imageId, score: i.score }),
    ratings: req.ratings,
    range: req.range,
    storedHead: req.storedHead,
    teacher: req.teacher,
  });
  const predicted = { values: {}, intervals: {} };
  if (!needsFeatures(head)) predictSessionItems(head, images.map((i) => ({ id: i.imageId, score: i.score })), predicted);
  else {
    for (let at = 0; at < images.length; at += PREDICT_CHUNK) {
      predictSessionItems(head, await withZ(images.slice(at, at + PREDICT_CHUNK)), predicted);
      if (superseded()) return quit();
    }
  }
  post({ type: 'calibrated', id: req.id, result: sessionResult(head, predicted, images.map((i) => i.score)), superseded: false });
}

function fail(id: number, err: unknown): void {
  post({ type: 'failed', id, error: { code: err instanceof Error && 'code' in err ? String(err.code) : 'error', message: message(err) } });
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const req = e.data;
  switch (req.type) {
    case 'init': {
      const loaded = modelLoad.join(req.id, `${req.backend ?? 'auto'} ${req.modelUrl}`, (progress) => init(req, progress));
      student = loaded.then((r) => r.student);
      // A failed load is reported to each request by modelLoad; later requests find it on awaiting student.
      student.catch(() => undefined);
      break;
    }
    case 'score':
      scoringAsked = true;
      queue = queue.then(() => score(req)).catch((err) => fail(req.id, err));
      break;
    case 'kept':
      keptUnder(req).catch((err) => fail(req.id, err));
      break;
    case 'cancel':
      cancelled.add(req.target);
      break;
    case 'hold':
      hold.hold(req.ms);
      break;
    case 'forget': {
      if (req.imageIds === 'all') contentKeys.clear();
      else for (const id of req.imageIds) contentKeys.delete(id);
      const count = req.imageIds === 'all' ? features.clear() : req.imageIds.filter((id) => features.delete(id)).length;
      post({ type: 'forgotten', id: req.id, count });
      break;
    }
    case 'features': {
      if (!__LEAF_TEST_HOOK__) return fail(req.id, new Error('features requests exist only in test builds'));
      void featuresOf(req.images).then((vectors) => {
        const entries = req.images.flatMap((r, i) => (vectors[i] ? [{ imageId: r.imageId, mode: r.mode, features: vectors[i] }] : []));
        post({ type: 'features', id: req.id, entries }, entries.map((e) => e.features.buffer));
      });
      break;
    }
    case 'test-fault': {
      if (!__LEAF_TEST_HOOK__) return fail(req.id, new Error('test-fault requests exist only in test builds'));
      testFault = req.fault;
      post({ type: 'test-fault-armed', id: req.id });
      break;
    }
    case 'peer':
      req.port.onmessage = (e) => adopt(e.data as PeerMessage);
      break;
    case 'feature-sink':
      featureSink?.close();
      featureSink = req.port;
      break;
    case 'explain':
      explain(req).catch((err) => fail(req.id, err));
      break;
    case 'calibrate':
      // Behind queued scoring so features of just-added images are in; not behind a long run's tail though:
      // it runs between images because score() awaits per image.
      calibrateNow(req).catch((err) => fail(req.id, err));
      break;
    case 'memory': {
      if (!__LEAF_TEST_HOOK__) return fail(req.id, new Error('memory requests exist only in test builds'));
      (globalThis as { gc?: () => void }).gc?.();
      const heap = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
      post({
        type: 'memory',
        id: req.id,
        memory: { ...memoryStats(), jsHeapBytes: heap?.usedJSHeapSize ?? null, featureCount: features.size, featureBytes: features.bytes },
      });
      break;
    }
  }
};
