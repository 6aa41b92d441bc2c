// Scores image files with the student, one at a time (wasm runs one thread), reading and decoding the next
// file while the current one runs through the model. A file that cannot be read or decoded is reported,
// never fatal. With a ScoreCache, a file whose content was scored before (same model version and mode) is
// neither decoded nor run again.
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
  readonly keepFeatures?: boolean;
  readonly cache?: ScoreCache;
  readonly onProgress?: (done: number, total: number) => void;
  /** Per-file limit on decoding + model, in ms (default FILE_TIME_LIMIT_MS; 0: none). */
  readonly timeLimitMs?: number;
}

type Prepared = { key?: string; hit?: CachedFeatures; pixels?: Pixels; ms: number; error?: string; errorCode?: ScoredImage['errorCode'] };

async function prepare(file: string, cache: ScoreCache | undefined, limitMs: number): Promise<Prepared> {
  const name = path.basename(file);
  const t0 = performance.now();
  try {
    const bytes = await fs.readFile(file);
    const key = cache && bytes.length > 0 ? ScoreCache.key(bytes) : undefined;
    const hit = key ? cache!.get(key) : undefined;
    if (hit) return { key, hit, ms: 0 };
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

export async function scoreImageFiles(student: Student, files: readonly string[], opts: ScoreImageFilesOptions = {}): Promise<ScoredImage[]> {
  const mode = opts.mode ?? student.manifest.input.defaultMode;
  const limitMs = opts.timeLimitMs ?? FILE_TIME_LIMIT_MS;
  const out: ScoredImage[] = [];
  await forEachPrefetched(files, (file) => prepare(file, opts.cache, limitMs), async (p, file, i) => {
    const name = path.basename(file);
    let computed = p.hit;
    let error = p.error;
    let errorCode = p.errorCode;
    if (error === undefined && !computed) {
      try {
        // The model gets what the decode left of this file's limit (at least 1 ms, so a zero never disables it).
        const left = limitMs > 0 ? Math.max(1, limitMs - p.ms) : 0;
        computed = await withTimeLimit(computeFeatures(student, p.pixels!, mode), left, () => named(name, imageErrors.timeout(limitMs, 'decoding and scoring')));
      } catch (err) {
        const e = err instanceof ImageDecodeError ? err : new ImageDecodeError('inference-failed', `${name}: scoring failed (${err instanceof Error ? err.message : String(err)})`);
        [error, errorCode] = [e.message, e.code];
      }
    }
    if (error !== undefined || !computed) {
      out.push({ file, name, error: error ?? `${name}: no result`, errorCode: errorCode ?? 'inference-failed' });
    } else {
      if (!p.hit && p.key) opts.cache!.put(p.key, computed);
      const { features, patches } = computed;
      out.push({
        file,
        name,
        result: student.scoreFeatures(features, mode),
        features: opts.keepFeatures ? features : undefined,
        patches,
        cached: p.hit !== undefined,
      });
    }
    opts.onProgress?.(i + 1, files.length);
  });
  return out;
}
