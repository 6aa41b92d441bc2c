// Orchestration between the UI store and the inference worker, as plain functions outside components:
// start the engine, queue files, stream results into the store in batches, cancel, rescore, clear.
import type { AppConfig } from '../shared/config.ts';
import type { ImageUpdate } from '../store/images-slice.ts';
import { useLeaf } from '../store/store.ts';
import type { SessionResult } from '../core/calibration/fit-session.ts';
import { FILE_TIME_LIMIT_MS } from '../core/image/limits.ts';
import type { CalibrateRequest, Explanation, FeatureEntry, TestFault, WorkerEvent, WorkerMemory } from '../worker/protocol.ts';
import { FileRegistry } from './file-registry.ts';
import { forgetFolder } from './folder-access.ts';
import { InFlight } from './in-flight.ts';
import { Watchdog } from './watchdog.ts';
import { InferenceClient } from './worker-client.ts';

/** Thumbnail longest side in pixels (grid cells are ~180 CSS px; 256 stays sharp on 1.4x screens). */
const THUMB_SIZE = 256;
/** Results are applied to the store at most this often: one render per batch, not per image. */
const FLUSH_MS = 120;
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

const registry = new FileRegistry();
let engineConfig: AppConfig | null = null;
let client: InferenceClient | null = null;
let ready = false;
let watchdog: Watchdog | null = null;
/** Images sent to the current worker and not answered yet, per run (keyed by the run's controller). */
const inFlight = new InFlight<AbortController>();
let restartsWithoutProgress = 0;
/** Set when the engine could not start or the worker died: queued images fail with it instead of waiting. */
let engineError: string | null = null;
let nextId = 1;
let pending: string[] = [];
const running = new Set<AbortController>();
let buffer: { event: WorkerEvent; at: number }[] = [];
let flushTimer: ReturnType<typeof setTimeout> | null = null;

const store = () => useLeaf.getState();

function warnOnce(warning: string): void {
  const { warnings } = store().engine;
  if (!warnings.includes(warning)) store().engineWarnings([...warnings, warning]);
}

export async function startEngine(config: AppConfig, options: EngineOptions = {}): Promise<void> {
  engineConfig = config;
  watchdog = new Watchdog(options.watchdogMs ?? FILE_TIME_LIMIT_MS + WATCHDOG_GRACE_MS, (silentMs) =>
    replaceWorker({ code: 'timeout', why: `the scoring worker stopped responding after ${formatSeconds(silentMs)}` }),
  );
  store().engineWarnings(config.warnings);
  await launchWorker(config);
}

/** Starts a worker and loads the model in it; then queued images go to it. */
async function launchWorker(config: AppConfig): Promise<void> {
  const worker = new Worker(new URL('../worker/inference.worker.ts', import.meta.url), { type: 'module', name: 'leaf-inference' });
  const c = new InferenceClient(worker, (detail) => {
    // A crash while loading fails init below; once scoring, the worker is replaced instead.
    if (client === c && ready) replaceWorker({ code: 'inference-failed', why: `the scoring worker crashed: ${detail}` });
  });
  client = c;
  try {
    const r = await c.init(config.modelUrl, config.backend, (stage) => store().engineStage(stage));
    if (client !== c) return;
    store().engineReady({ backend: r.backend, model: r.model, timings: r.timings });
    // The manifest's default mode is the CLI's (accuracy first); the app stays on its own speed-first
    // setting ('fast' unless the user picked otherwise), which is what the demo's one-second answer needs.
    ready = true;
    dispatch();
  } catch (err) {
    if (client === c) engineDown(err instanceof Error ? err.message : String(err));
  }
}

/**
 * The worker crashed or hung: it is terminated and a fresh one loads the model. The image it was working on
 * fails with `why`; the others it had not answered go back to the queue; results already received are kept.
 * (The new worker starts with an empty feature cache: calibration only sees images scored after the restart.)
 */
function replaceWorker(cause: { code: 'timeout' | 'inference-failed'; why: string }): void {
  if (!client || !ready || !engineConfig) return;
  watchdog?.stop();
  flush();
  const culprit = inFlight.current;
  const requeue: string[] = [];
  let anyCancelled = false;
  for (const [controller, ids] of inFlight.drain()) {
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
  const old = client;
  client = null;
  ready = false;
  // Its runs were settled above, so the failures this sends to their requests are not heard.
  old.terminate(`inference worker replaced: ${cause.why}`);
  pending = [...requeue, ...pending];
  if (++restartsWithoutProgress > MAX_RESTARTS_WITHOUT_PROGRESS) {
    return engineDown(`${cause.why} (${MAX_RESTARTS_WITHOUT_PROGRESS} restarts in a row without scoring an image)`);
  }
  if (running.size === 0 && pending.length === 0 && store().run.active) store().finishRun(anyCancelled, performance.now());
  store().engineRestarting(cause.why);
  void launchWorker(engineConfig);
}

function engineDown(message: string): void {
  engineError = message;
  ready = false;
  store().engineFailed(message);
  dispatch();
}

function formatSeconds(ms: number): string {
  return `${+(ms / 1000).toFixed(1)} s`;
}

/** Adds files to the collection and queues them for scoring. */
export function addFiles(incoming: readonly IncomingFile[]): void {
  if (incoming.length === 0) return;
  const items = incoming.map(({ file, path }) => {
    const id = `img-${nextId++}`;
    registry.add(id, file);
    return { id, name: file.name, path, bytes: file.size };
  });
  store().addImages(items);
  enqueue(items.map((i) => i.id));
}

/** Scores the given images again in the current mode (e.g. after switching fast/accurate). */
export function rescore(ids: readonly string[]): void {
  if (ids.length === 0) return;
  store().setStatus(ids, 'queued');
  enqueue(ids);
}

function enqueue(ids: readonly string[]): void {
  store().startRun(ids.length, performance.now());
  pending.push(...ids);
  dispatch();
}

function dispatch(): void {
  if (engineError !== null && pending.length > 0) {
    const failed = pending;
    pending = [];
    store().applyUpdates(failed.map((id) => ({ id, kind: 'failed', error: { code: 'inference-failed', message: `Not scored: the scoring engine is unavailable (${engineError})` } })));
    store().recordResults(0, failed.length, performance.now());
    if (running.size === 0) store().finishRun(false, performance.now());
    return;
  }
  if (!ready || !client || pending.length === 0) return;
  const ids = pending;
  pending = [];
  const jobs = ids.flatMap((imageId) => {
    const file = registry.file(imageId);
    return file ? [{ imageId, file }] : [];
  });
  const controller = new AbortController();
  running.add(controller);
  inFlight.add(controller, jobs.map((j) => j.imageId));
  // Already counting down for earlier images: this request waits behind them, so the count goes on.
  if (jobs.length > 0 && !watchdog?.armed) watchdog?.kick();
  const onEvent = (event: WorkerEvent) => {
    if (event.type !== 'scored' && event.type !== 'image-failed') return;
    inFlight.answered(controller, event.imageId);
    restartsWithoutProgress = 0;
    if (inFlight.size > 0) watchdog?.kick();
    else watchdog?.stop();
    buffer.push({ event, at: performance.now() });
    flushTimer ??= setTimeout(flush, FLUSH_MS);
  };
  const finished = (cancelled: boolean) => {
    // Settled already if its worker was replaced meanwhile.
    if (!running.has(controller)) return;
    inFlight.end(controller);
    if (inFlight.size === 0) watchdog?.stop();
    running.delete(controller);
    flush();
    if (cancelled) store().setStatus(ids, 'cancelled');
    if (running.size === 0 && pending.length === 0) store().finishRun(cancelled, performance.now());
  };
  client
    .score(jobs, store().settings.mode, THUMB_SIZE, { signal: controller.signal, onEvent })
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
}

function flush(): void {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = null;
  if (buffer.length === 0) return;
  const batch = buffer;
  buffer = [];
  const { engine } = store();
  const updates: ImageUpdate[] = [];
  let scored = 0;
  let failed = 0;
  const ms = { decode: 0, model: 0 };
  const known = store().images.byId;
  for (const { event } of batch) {
    if (event.type !== 'scored' && event.type !== 'image-failed') continue;
    if (!known[event.imageId]) continue; // cleared while in flight
    if (event.type === 'scored') {
      const r = event.result;
      if (r.thumb) registry.setThumb(event.imageId, r.thumb);
      scored++;
      ms.decode += r.ms.decode;
      ms.model += r.ms.infer;
      updates.push({
        id: event.imageId,
        kind: 'scored',
        score: {
          raw: r.score,
          probs: r.probs,
          mode: r.mode,
          backend: r.backend,
          modelVersion: engine.model!.version,
          ...(r.patches.length ? { patches: r.patches } : {}),
          ...(r.cached ? { stored: true as const } : {}),
        },
        width: r.width,
        height: r.height,
        downscaledFrom: r.downscaledFrom,
        format: r.format,
        hasThumb: r.thumb !== null,
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
  store().recordResults(scored, failed, batch[batch.length - 1]!.at, ms);
}

/** Stops the run: the image being scored finishes, the rest are marked cancelled. */
export function cancel(): void {
  const dropped = pending;
  pending = [];
  if (dropped.length > 0) store().setStatus(dropped, 'cancelled');
  for (const c of running) c.abort();
  if (running.size === 0 && store().run.active) store().finishRun(true, performance.now());
}

export function clearAll(): void {
  cancel();
  registry.clear();
  void client?.forget('all');
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
  if (!client) return Promise.reject(new Error('engine not started'));
  return client.testFault(fault);
}

export function workerMemory(): Promise<WorkerMemory> {
  if (!client) return Promise.reject(new Error('engine not started'));
  return client.memory();
}

/** Why an image scores as it does: its quality map and the reasons measured on the file. */
export function explainImage(id: string): Promise<Explanation> {
  const file = registry.file(id);
  if (!client) return Promise.reject(new Error('engine not started'));
  if (!file) return Promise.reject(new Error('the file is no longer available'));
  return client.explain(file);
}

export function featuresOf(ids: readonly string[]): Promise<readonly FeatureEntry[]> {
  if (!client) return Promise.reject(new Error('engine not started'));
  return client.features(ids);
}

/** Calibration refit in the worker (issue #4); null when superseded by a newer request. */
export function fitCalibrationInWorker(req: Omit<CalibrateRequest, 'id' | 'type'>): Promise<SessionResult | null> {
  if (!client) return Promise.reject(new Error('engine not started'));
  return client.fitCalibration(req);
}
