// Where the inference workers come from. The page's first script spawns the primary and asks it to load the
// model before the app's own bundle is fetched, so the worker's script compiles and its backend and model
// load while the page is still evaluating and rendering: a demo visitor's first score waits on the worker,
// not on the page. The scoring service then takes that worker for lane 0 instead of starting another.
import type { BackendName, WorkerRequest } from '../worker/protocol.ts';

function createInferenceWorker(index: number): Worker {
  return new Worker(new URL('../worker/inference.worker.ts', import.meta.url), { type: 'module', name: `leaf-inference-${index}` });
}

let early: { worker: Worker; failed: boolean } | null = null;

/**
 * Asked with an id no client uses (InferenceClient counts from 1): nobody hears its answers. The engine's
 * own init, sent when the app has loaded, joins the load this one started.
 */
const EARLY_INIT_ID = 0;

/**
 * Starts the primary worker now and has it load the model; the scoring service adopts it when it starts
 * the engine.
 */
export function spawnPrimaryEarly(model: { modelUrl: string; backend: BackendName | null }): void {
  if (early) return;
  const started = { worker: createInferenceWorker(0), failed: false };
  started.worker.postMessage({ type: 'init', id: EARLY_INIT_ID, ...model } satisfies WorkerRequest);
  // An error before anyone listens (its script failed to load) would be lost: note it and start afresh later,
  // so the failure reaches the client that reports it.
  started.worker.addEventListener('error', () => (started.failed = true), { once: true });
  early = started;
}

/** The worker for a lane: the one spawned early for the first primary, else a new one. */
export function spawnInferenceWorker(index: number): Worker {
  const adopted = index === 0 ? early : null;
  if (adopted) {
    early = null;
    if (!adopted.failed) return adopted.worker;
    adopted.worker.terminate();
  }
  return createInferenceWorker(index);
}
