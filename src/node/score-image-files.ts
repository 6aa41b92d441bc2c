// Scores image files with the student: in this thread one at a time (wasm runs one thread), reading and
// decoding the next file while the current one runs through the model; or, given a FeaturePool, on every
// core, one file per worker thread at a time. A file that cannot be read or decoded is reported, never
// fatal. With a ScoreCache, a file whose content was scored before (same model version and mode) is neither
// decoded nor run again.
import fs from 'node:fs/promises';
import path from 'node:path';
import { type ImageErrorCode, ImageDecodeError, imageErrors } from '../core/image/image-error.ts';
import { FILE_TIME_LIMIT_MS } from '../core/image/limits.ts';
import type { Pixels } from '../core/model/preprocess.ts';
import { withTimeLimit } from '../core/time-limit.ts';
import type { ScoreMode } from '../core/model/score-mode.ts';
import { forEachPrefetched } from '../core/prefetch.ts';
import type { Student, StudentScore } from '../core/model/student.ts';
import { decodeImageFile } from './decode-image.ts';
import { type CachedFeatures, ScoreCache } from './score-cache.ts';
import { FeaturePool } from './feature-pool.ts';

export interface ScoredImage {
  readonly file: string;
  readonly name: string;
  readonly result?: StudentScore;
  readonly features?: Float32Array;
  /** How many 1:1 detail patches were blended into the features (0: seen whole only). */
  readonly patches?: number;
  /** True when the features came from the score cache. */
  readonly cached?: boolean;
  readonly error?: string;
  /** Why there is no score: the app's error codes, plus `not-found` / `unreadable` for files the OS refused. */
  readonly errorCode?: ImageErrorCode | 'not-found' | 'unreadable';
}

export interface ScoreImageFilesOptions {
  readonly mode?: ScoreMode;
  /**
   * Worker threads for the files the cache does not have (see feature-pool.ts): started at the first such
   * file (a run served by the cache starts none) and closed at the end. Count 1 or absent: this thread.
   */
  readonly threads?: { readonly count: number; readonly modelDir?: string };
  readonly keepFeatures?: boolean;
  readonly cache?: ScoreCache;
  readonly onProgress?: (done: number, total: number) => void;
  /** Per-file limit on decoding + model, in ms (default FILE_TIME_LIMIT_MS; 0: none). */
  readonly timeLimitMs?: number;
}

type Prepared = {
  key?: string;
  hit?: CachedFeatures;
  /** The file's bytes, on a miss that was not decoded here (a pool's thread decodes them). */
  bytes?: Uint8Array;
  pixels?: Pixels;
  ms: number;
  error?: string;
  errorCode?: ScoredImage['errorCode'];
};

/**
 * Reads a file (unless its bytes are `given`) and looks it up in the cache; on a miss, decodes it too
 * unless `decode` is false.
 */
async function prepare(file: string, cache: ScoreCache | undefined, limitMs: number, decode = true, given?: Uint8Array): Promise<Prepared> {
  const name = path.basename(file);
  const t0 = performance.now();
  try {
    const bytes = given ?? (await fs.readFile(file));
    const key = cache && bytes.length > 0 ? ScoreCache.key(bytes) : undefined;
    const hit = key ? cache!.get(key) : undefined;
    if (hit) return { key, hit, ms: 0 };
    if (!decode) return { key, bytes, ms: 0 };
    const pixels = await withTimeLimit(decodeImageFile(bytes, name), limitMs, () => named(name, imageErrors.timeout(limitMs, 'decoding')));
    return { key, pixels, ms: performance.now() - t0 };
  } catch (err) {
    if (err instanceof ImageDecodeError) return { error: err.message, errorCode: err.code, ms: 0 };
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { error: `${name}: file not found`, errorCode: 'not-found', ms: 0 };
    return { error: `${name}: cannot read the file (${e.message})`, errorCode: 'unreadable', ms: 0 };
  }
}

function named(name: string, e: ImageDecodeError): ImageDecodeError {
  return new ImageDecodeError(e.code, `${name}: ${e.message}`);
}

async function computeFeatures(student: Student, pixels: Pixels, mode: ScoreMode): Promise<CachedFeatures> {
  const f = await student.features(pixels, mode);
  return { features: f.features, patches: f.patches.length };
}

/** A file's features or why there are none: what a pool's worker thread computes for one file. */
export type FileFeatures = ({ readonly ok: true } & CachedFeatures) | { readonly ok: false; readonly error: string; readonly errorCode: NonNullable<ScoredImage['errorCode']> };

/** Reads (unless `bytes` are given), decodes and runs one file through the model within `limitMs` (0: no limit). */
export async function fileFeatures(student: Student, file: string, mode: ScoreMode, limitMs: number, bytes?: Uint8Array): Promise<FileFeatures> {
  const p = await prepare(file, undefined, limitMs, true, bytes);
  if (p.error !== undefined) return { ok: false, error: p.error, errorCode: p.errorCode ?? 'decode-failed' };
  return modelFeatures(student, p, path.basename(file), mode, limitMs);
}

async function modelFeatures(student: Student, p: Prepared, name: string, mode: ScoreMode, limitMs: number): Promise<FileFeatures> {
  try {
    // The model gets what the decode left of this file's limit (at least 1 ms, so a zero never disables it).
    const left = limitMs > 0 ? Math.max(1, limitMs - p.ms) : 0;
    const computed = await withTimeLimit(computeFeatures(student, p.pixels!, mode), left, () => named(name, imageErrors.timeout(limitMs, 'decoding and scoring')));
    return { ok: true, ...computed };
  } catch (err) {
    const e = err instanceof ImageDecodeError ? err : new ImageDecodeError('inference-failed', `${name}: scoring failed (${err instanceof Error ? err.message : String(err)})`);
    return { ok: false, error: e.message, errorCode: e.code };
  }
}

export async function scoreImageFiles(student: Student, files: readonly string[], opts: ScoreImageFilesOptions = {}): Promise<ScoredImage[]> {
  const mode = opts.mode ?? student.manifest.input.defaultMode;
  const limitMs = opts.timeLimitMs ?? FILE_TIME_LIMIT_MS;
  const record = (file: string, p: Prepared, got: FileFeatures | undefined): ScoredImage => {
    const name = path.basename(file);
    if (p.error !== undefined) return { file, name, error: p.error, errorCode: p.errorCode ?? 'inference-failed' };
    const computed = p.hit ?? (got?.ok ? got : undefined);
    if (!computed) return { file, name, error: got && !got.ok ? got.error : `${name}: no result`, errorCode: got && !got.ok ? got.errorCode : 'inference-failed' };
    if (!p.hit && p.key) opts.cache!.put(p.key, { features: computed.features, patches: computed.patches });
    const { features, patches } = computed;
    return { file, name, result: student.scoreFeatures(features, mode), features: opts.keepFeatures ? features : undefined, patches, cached: p.hit !== undefined };
  };
  if (opts.threads && opts.threads.count > 1) return scoreWithPool(opts.threads, files, mode, limitMs, opts, record);
  const out: ScoredImage[] = [];
  await forEachPrefetched(files, (file) => prepare(file, opts.cache, limitMs), async (p, file, i) => {
    const got = p.error === undefined && !p.hit ? await modelFeatures(student, p, path.basename(file), mode, limitMs) : undefined;
    out.push(record(file, p, got));
    opts.onProgress?.(i + 1, files.length);
  });
  return out;
}

/** Cache lookups here, model work in the pool's threads (two files per thread in flight); results in file order. */
async function scoreWithPool(
  threads: NonNullable<ScoreImageFilesOptions['threads']>,
  files: readonly string[],
  mode: ScoreMode,
  limitMs: number,
  opts: ScoreImageFilesOptions,
  record: (file: string, p: Prepared, got: FileFeatures | undefined) => ScoredImage,
): Promise<ScoredImage[]> {
  const out: ScoredImage[] = new Array(files.length);
  const inFlight = new Set<Promise<void>>();
  // Started by the first file the cache does not have (assigned inside the jobs, hence an object).
  const started: { pool: Promise<FeaturePool> | null } = { pool: null };
  let done = 0;
  try {
    for (const [i, file] of files.entries()) {
      const job = (async () => {
        const p = await prepare(file, opts.cache, limitMs, false);
        let got: FileFeatures | undefined;
        if (p.error === undefined && !p.hit) {
          started.pool ??= FeaturePool.start(threads.count, threads.modelDir);
          // The bytes read here for the cache key travel to the thread: the file is read once.
          got = await (await started.pool).features(file, mode, limitMs, p.bytes);
        }
        out[i] = record(file, p, got);
        opts.onProgress?.(++done, files.length);
      })();
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job)).catch(() => undefined);
      if (inFlight.size >= 2 * threads.count) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await Promise.allSettled([...inFlight]);
    if (started.pool) await (await started.pool.catch(() => null))?.close();
  }
  return out;
}
