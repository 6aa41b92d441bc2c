// Typed wrapper around the inference worker: one promise per request, events routed by request id,
// AbortSignal -> cancel message. A cancelled run resolves (with cancelled: true); aborts are not errors.
import type { ScoreMode } from '../core/model/score-mode.ts';
import type { SessionResult } from '../core/calibration/fit-session.ts';
import type { BackendName, CalibrateRequest, DoneEvent, Explanation, FeatureEntry, FeatureRef, ImageJob, InitStage, KeptFile, PortLike, ReadyEvent, TestFault, WorkerEvent, WorkerMemory, WorkerRequest } from '../worker/protocol.ts';

type Handler = (event: WorkerEvent) => void;

export class WorkerRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// Distributes Omit over the union so each request keeps its own fields.
type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

export class InferenceClient {
  // From 1: id 0 is the init the page's first script sends its early worker (inference-worker.ts).
  private nextId = 1;
  private readonly handlers = new Map<number, Handler>();
  private readonly failAll: (message: string) => void;

  /**
   * `onCrash` hears about an uncaught error in the worker, with the error's own words; it runs after every
   * open request has failed with "inference worker stopped: …".
   */
  constructor(
    private readonly worker: Worker,
    onCrash?: (detail: string) => void,
  ) {
    worker.onmessage = (e: MessageEvent<WorkerEvent>) => {
      const handler = this.handlers.get(e.data.id);
      if (e.data.type === 'batch') for (const event of e.data.events) handler?.(event);
      else handler?.(e.data);
    };
    this.failAll = (message) => {
      for (const [id, handler] of this.handlers) handler({ type: 'failed', id, error: { code: 'worker-crashed', message } });
    };
    worker.onerror = (e) => {
      // Handled here: the page should not report it a second time as its own uncaught error.
      e.preventDefault();
      const detail = e.message || 'unknown error';
      this.failAll(`inference worker stopped: ${detail}`);
      onCrash?.(detail);
    };
  }

  /** Sends one request; `onEvent` sees every event for it until `settle` returns a value. */
  private request<T>(body: RequestBody, settle: (event: WorkerEvent) => T | undefined, onEvent?: Handler): { id: number; result: Promise<T> } {
    const id = this.nextId++;
    const result = new Promise<T>((resolve, reject) => {
      this.handlers.set(id, (event) => {
        if (event.type === 'failed') {
          this.handlers.delete(id);
          reject(new WorkerRequestError(event.error.code, event.error.message));
          return;
        }
        onEvent?.(event);
        const value = settle(event);
        if (value !== undefined) {
          this.handlers.delete(id);
          resolve(value);
        }
      });
    });
    this.worker.postMessage({ ...body, id } as WorkerRequest);
    return { id, result };
  }

  init(modelUrl: string, backend: BackendName | null, onStage: (stage: InitStage) => void): Promise<ReadyEvent> {
    return this.request<ReadyEvent>(
      { type: 'init', modelUrl, backend },
      (e) => (e.type === 'ready' ? e : undefined),
      (e) => e.type === 'init-progress' && onStage(e.stage),
    ).result;
  }

  score(jobs: readonly ImageJob[], mode: ScoreMode, thumbSize: number, opts: { signal?: AbortSignal; onEvent: Handler; storeOnly?: boolean }): Promise<DoneEvent> {
    const { id, result } = this.request<DoneEvent>({ type: 'score', jobs, mode, thumbSize, storeOnly: opts.storeOnly }, (e) => (e.type === 'done' ? e : undefined), opts.onEvent);
    const cancel = () => this.worker.postMessage({ type: 'cancel', id: this.nextId++, target: id } satisfies WorkerRequest);
    if (opts.signal?.aborted) cancel();
    else opts.signal?.addEventListener('abort', cancel, { once: true });
    return result;
  }

  /** Asks the worker to pause `ms` before its next image (no answer; the pause ends by itself). */
  /** The scores kept for a folder's files (by path, with the size and date each was stored under). */
  kept(mode: ScoreMode, folder: string): Promise<readonly KeptFile[]> {
    return this.request<readonly KeptFile[]>({ type: 'kept', mode, folder }, (e) => (e.type === 'kept' ? e.files : undefined)).result;
  }

  hold(ms: number): void {
    this.worker.postMessage({ type: 'hold', id: this.nextId++, ms } satisfies WorkerRequest);
  }

  forget(imageIds: readonly string[] | 'all'): Promise<number> {
    return this.request<number>({ type: 'forget', imageIds }, (e) => (e.type === 'forgotten' ? e.count : undefined)).result;
  }

  memory(): Promise<WorkerMemory> {
    return this.request<WorkerMemory>({ type: 'memory' }, (e) => (e.type === 'memory' ? e.memory : undefined)).result;
  }

  /** Features of scored images as calibration reads them (test builds); images without any are left out. */
  features(images: readonly FeatureRef[]): Promise<readonly FeatureEntry[]> {
    return this.request<readonly FeatureEntry[]>({ type: 'features', images }, (e) => (e.type === 'features' ? e.entries : undefined)).result;
  }

  /** Quality map and measured reasons of one file. */
  explain(file: Blob): Promise<Explanation> {
    return this.request<Explanation>({ type: 'explain', file }, (e) => (e.type === 'explained' ? e.explanation : undefined)).result;
  }

  /** Refits calibration in the worker; resolves null when a newer request superseded this one. */
  fitCalibration(req: Omit<CalibrateRequest, 'id' | 'type'>): Promise<SessionResult | null> {
    return this.request<SessionResult | null>({ type: 'calibrate', ...req }, (e) => (e.type === 'calibrated' ? e.result : undefined)).result;
  }

  /** Pool: this (primary) worker hears a secondary's features on `port`. */
  addPeer(port: MessagePort): void {
    this.worker.postMessage({ type: 'peer', id: this.nextId++, port: port as unknown as PortLike } satisfies WorkerRequest, [port]);
  }

  /** Pool: this (secondary) worker passes its features to the primary on `port`. */
  sendFeaturesTo(port: MessagePort): void {
    this.worker.postMessage({ type: 'feature-sink', id: this.nextId++, port: port as unknown as PortLike } satisfies WorkerRequest, [port]);
  }

  /** Test builds only: the worker misbehaves on its next image (see TestFault); resolves once it is armed. */
  testFault(fault: TestFault): Promise<void> {
    if (!__LEAF_TEST_HOOK__) return Promise.reject(new Error('test faults exist only in test builds'));
    const armed = this.request<true>({ type: 'test-fault', fault }, (e) => (e.type === 'test-fault-armed' ? true : undefined)).result;
    return armed.then(() => undefined);
  }

  /** Stops the worker at once; open requests fail with `reason`, and nothing it sent later is heard. */
  terminate(reason = 'inference worker terminated'): void {
    this.worker.onmessage = null;
    this.worker.onerror = null;
    this.worker.terminate();
    this.failAll(reason);
  }
}
