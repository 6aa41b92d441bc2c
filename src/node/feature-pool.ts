// Worker threads that compute image features for `leaf score` / `leaf eval`, so a run uses every core (the
// wasm backend runs one thread each). Each thread loads the student once and computes one file at a time
// through the same fileFeatures the single-thread path uses; the calling thread keeps the cache and the
// order of results. A thread that dies fails the files it held, with the reason, and is replaced once per
// death; the run goes on.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ScoreMode } from '../core/model/score-mode.ts';
import type { FileFeatures } from './score-image-files.ts';

export interface FeatureRequest {
  readonly id: number;
  readonly file: string;
  /** The file's bytes when the caller has read them already (else the thread reads the file). */
  readonly bytes?: Uint8Array;
  readonly mode: ScoreMode;
  readonly limitMs: number;
}

export type FeatureReply = { readonly id: number; readonly answer: FileFeatures } | { readonly ready: true } | { readonly failed: string };

/** One thread per core, at most 4 (each holds a model and a wasm heap). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

interface Thread {
  readonly worker: Worker;
  readonly pending: Map<number, (answer: FileFeatures) => void>;
  /** The model is loaded: only such a thread is replaced when it dies (one that cannot load would loop). */
  loaded: boolean;
}

const BOOT = new URL('./feature-thread-boot.mjs', import.meta.url);
const ENTRY = new URL('./feature-thread.ts', import.meta.url).href;

export class FeaturePool {
  private readonly threads: Thread[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(
    readonly size: number,
    private readonly modelDir: string | undefined,
  ) {}

  /** Starts `size` threads and resolves once every one has loaded the model (or rejects with why one could not). */
  static async start(size: number, modelDir?: string): Promise<FeaturePool> {
    const pool = new FeaturePool(size, modelDir);
    try {
      await Promise.all(Array.from({ length: size }, () => pool.spawn()));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  private spawn(): Promise<void> {
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY, modelDir: this.modelDir } });
    const thread: Thread = { worker, pending: new Map(), loaded: false };
    this.threads.push(thread);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: FeatureReply) => {
        if ('ready' in msg) {
          thread.loaded = true;
          resolve();
        }
        else if ('failed' in msg) reject(new Error(`a scoring thread could not load the model: ${msg.failed}`));
        else {
          thread.pending.get(msg.id)?.(msg.answer);
          thread.pending.delete(msg.id);
        }
      });
      const died = (why: string) => {
        reject(new Error(`a scoring thread stopped while loading: ${why}`));
        this.replace(thread, why);
      };
      worker.on('error', (err) => died(err.message));
      worker.on('exit', (code) => died(`exit code ${code}`));
    });
  }

  /** Fails the dead thread's files with the reason and, if it had loaded the model, starts a fresh thread in its place. */
  private replace(thread: Thread, why: string): void {
    const at = this.threads.indexOf(thread);
    if (at < 0) return;
    this.threads.splice(at, 1);
    for (const answer of thread.pending.values()) answer({ ok: false, error: `the scoring thread stopped (${why})`, errorCode: 'inference-failed' });
    thread.pending.clear();
    if (!this.closed && thread.loaded) this.spawn().catch(() => undefined);
  }

  /** Features of one file from the least busy thread; `bytes`: the file's bytes if already read. */
  features(file: string, mode: ScoreMode, limitMs: number, bytes?: Uint8Array): Promise<FileFeatures> {
    const thread = this.threads.reduce<Thread | undefined>((best, t) => (!best || t.pending.size < best.pending.size ? t : best), undefined);
    if (!thread) return Promise.resolve({ ok: false, error: 'no scoring thread is running', errorCode: 'inference-failed' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      thread.pending.set(id, resolve);
      // Moved, not copied, when the bytes own their buffer (fs.readFile's do).
      const own = bytes !== undefined && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      thread.worker.postMessage({ id, file, bytes, mode, limitMs } satisfies FeatureRequest, own ? [bytes.buffer as ArrayBuffer] : []);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = this.threads.splice(0);
    await Promise.all(all.map((t) => t.worker.terminate()));
  }
}
