// Scores image files with the student, one at a time (wasm runs one thread), reading and decoding the next
// file while the current one runs through the model. A file that cannot be read or decoded is reported,
// never fatal. With a ScoreCache, a file whose content was scored before (same model version and mode) is
// neither decoded nor run again.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Pixels } from '../core/model/preprocess.ts';
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
}

export interface ScoreImageFilesOptions {
  readonly mode?: ScoreMode;
  readonly keepFeatures?: boolean;
  readonly cache?: ScoreCache;
  readonly onProgress?: (done: number, total: number) => void;
}

type Prepared = { key?: string; hit?: CachedFeatures; pixels?: Pixels; error?: string };

async function prepare(file: string, cache: ScoreCache | undefined): Promise<Prepared> {
  try {
    const bytes = await fs.readFile(file);
    if (bytes.length === 0) throw new Error(`${path.basename(file)}: file is empty`);
    const key = cache ? ScoreCache.key(bytes) : undefined;
    const hit = key ? cache!.get(key) : undefined;
    if (hit) return { key, hit };
    return { key, pixels: await decodeImageFile(bytes, path.basename(file)) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { error: e.code === 'ENOENT' ? `${path.basename(file)}: file not found` : e.message };
  }
}

async function computeFeatures(student: Student, pixels: Pixels, mode: ScoreMode): Promise<CachedFeatures> {
  const f = await student.features(pixels, mode);
  return { features: f.features, patches: f.patches.length };
}

export async function scoreImageFiles(student: Student, files: readonly string[], opts: ScoreImageFilesOptions = {}): Promise<ScoredImage[]> {
  const mode = opts.mode ?? student.manifest.input.defaultMode;
  const out: ScoredImage[] = [];
  await forEachPrefetched(files, (file) => prepare(file, opts.cache), async (p, file, i) => {
    const name = path.basename(file);
    if (p.error !== undefined) {
      out.push({ file, name, error: p.error });
    } else {
      const computed = p.hit ?? (await computeFeatures(student, p.pixels!, mode));
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
