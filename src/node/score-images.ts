// Scores image files with the student, one at a time (wasm runs one thread), decoding the next file while
// the current one runs through the model. A file that cannot be read or decoded is reported, never fatal.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ScoreMode } from '../core/model/preprocess.ts';
import type { Student, StudentScore } from '../core/model/student.ts';
import { decodeImageFile } from './decode-image.ts';

export interface ScoredImage {
  readonly file: string;
  readonly name: string;
  readonly result?: StudentScore;
  readonly features?: Float32Array;
  /** How many 1:1 detail patches were blended into the features (0: seen whole only). */
  readonly patches?: number;
  readonly error?: string;
}

export interface ScoreImagesOptions {
  readonly mode?: ScoreMode;
  readonly keepFeatures?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

async function decodeOrError(file: string) {
  try {
    const bytes = await fs.readFile(file);
    if (bytes.length === 0) throw new Error(`${path.basename(file)}: file is empty`);
    return { pixels: await decodeImageFile(bytes, path.basename(file)) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { error: e.code === 'ENOENT' ? `${path.basename(file)}: file not found` : e.message };
  }
}

export async function scoreImages(student: Student, files: readonly string[], opts: ScoreImagesOptions = {}): Promise<ScoredImage[]> {
  const mode = opts.mode ?? student.manifest.input.defaultMode;
  const out: ScoredImage[] = [];
  let next = files.length ? decodeOrError(files[0]!) : undefined;
  for (let i = 0; i < files.length; i++) {
    const decoded = await next!;
    next = i + 1 < files.length ? decodeOrError(files[i + 1]!) : undefined;
    const file = files[i]!;
    const name = path.basename(file);
    if (decoded.error !== undefined || !decoded.pixels) {
      out.push({ file, name, error: decoded.error });
    } else {
      const { features, patches } = await student.features(decoded.pixels, mode);
      out.push({ file, name, result: student.scoreFeatures(features, mode), features: opts.keepFeatures ? features : undefined, patches: patches.length });
    }
    opts.onProgress?.(i + 1, files.length);
  }
  return out;
}
