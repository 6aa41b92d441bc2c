// Reads a model folder from disk for the Node side (CLI, benches, tests).
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReadModelFile } from '../core/model/student.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shipped default student, loaded when no --model is given. */
export const DEFAULT_MODEL_DIR = path.join(REPO_ROOT, 'models', 'leaf-mnv2-140');

export function modelDirReader(dir: string): ReadModelFile {
  return async (name) => {
    const buf = await fs.readFile(path.join(dir, name)).catch((err: NodeJS.ErrnoException) => {
      throw new Error(err.code === 'ENOENT' ? `model folder ${dir} has no ${name}` : `cannot read ${path.join(dir, name)}: ${err.message}`);
    });
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  };
}
