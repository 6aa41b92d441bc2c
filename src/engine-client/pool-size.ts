// How many inference workers to run. Each worker runs the wasm backend on one thread (PLATFORM.md: tfjs's
// own wasm threads were 4x slower here), so the pool is how scoring uses more than one core. Pure.
import { STORE_LOOKUP_FILES } from '../worker/protocol.ts';

/** More workers than this buy little: the page thread, decoders and the compositor need cores too. */
export const MAX_WORKERS = 4;
/** Each worker holds its own model and wasm heap (bench:speed's memory run: 251 MB for two after Quick scoring). */
const GB_PER_WORKER = 1;

export interface PoolInputs {
  /** navigator.hardwareConcurrency (logical cores); undefined where the browser does not say. */
  readonly cores: number | undefined;
  /** navigator.deviceMemory in GB (Chromium rounds it and caps it at 8); undefined where not exposed. */
  readonly memoryGb: number | undefined;
  /** ?workers=N from the URL; null = choose. */
  readonly requested: number | null;
}

/** One worker per core up to MAX_WORKERS, fewer when memory is short; ?workers= overrides (still capped). */
export function poolSize({ cores, memoryGb, requested }: PoolInputs): number {
  if (requested !== null) return Math.max(1, Math.min(MAX_WORKERS, Math.floor(requested)));
  const byCores = Math.max(1, Math.floor(cores ?? 1));
  const byMemory = memoryGb === undefined ? MAX_WORKERS : Math.max(1, Math.floor(memoryGb / GB_PER_WORKER));
  return Math.min(MAX_WORKERS, byCores, byMemory);
}

/**
 * Files one request to score may hold: posting a File makes the browser fetch its size and date (a round
 * trip each), so a request's post costs the page's main thread in proportion. 64 Quick images are seconds
 * of a worker's time (bench:speed's ms per image).
 */
const MODEL_WORK_FILES = 64;

/**
 * Images per score request: a share of what is queued so the workers finish together (large shares while
 * much is queued, single images at the tail), never more than MODEL_WORK_FILES. While the score store is
 * answering (a reopened folder) there is no model work to balance: every request is a full lookup (up to
 * STORE_LOOKUP_FILES), since a tail of single images cost a page-worker round trip each.
 */
export function chunkSize(queued: number, workers: number, fromStore = false): number {
  if (fromStore) return Math.max(1, Math.min(STORE_LOOKUP_FILES, queued));
  return Math.max(1, Math.min(MODEL_WORK_FILES, Math.ceil(queued / (4 * Math.max(1, workers)))));
}
