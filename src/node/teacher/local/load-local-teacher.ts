// `loadLocalTeacher` for Node: the folder on disk is listed and checked, its files fingerprinted into the
// teacher id, and Transformers.js reads it from its parent directory.
import fs from 'node:fs';
import path from 'node:path';

import { LocalModelError } from '../../../core/teacher/local/local-model-error.ts';
import { loadCheckedTeacher } from '../../../core/teacher/local/load-local-teacher.ts';
import type { LocalTeacher } from '../../../core/teacher/local/local-teacher.ts';
import { checkModelFiles, type LocalDtype, type LocalKind, localTeacherId, MODEL_JSON_FILES, type ModelFolder } from '../../../core/teacher/local/model-folder.ts';

export interface LocalTeacherOptions {
  readonly model: string;
  readonly kind: LocalKind;
  readonly dtype?: LocalDtype;
}

export function checkModelFolder(dir: string, kind: LocalKind, dtype: LocalDtype = 'fp32'): ModelFolder {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw new LocalModelError('missing-folder', `model folder ${abs} does not exist (pass --model DIR, a folder with config.json and onnx/)`);
  }
  return checkModelFiles(
    { dir: abs, name: path.basename(abs), has: (rel) => fs.existsSync(path.join(abs, rel)), readConfig: () => fs.readFileSync(path.join(abs, 'config.json'), 'utf8') },
    kind,
    dtype,
  );
}

export async function loadLocalTeacher(options: LocalTeacherOptions): Promise<LocalTeacher> {
  const folder = checkModelFolder(options.model, options.kind, options.dtype);
  const id = await localTeacherId(
    folder,
    MODEL_JSON_FILES.map((f) => fs.readFileSync(path.join(folder.dir, f))),
    folder.graphFiles.map((g) => fs.statSync(path.join(folder.dir, g)).size),
  );
  return loadCheckedTeacher(id, folder, { localModelPath: `${path.dirname(folder.dir)}${path.sep}`, device: 'cpu' });
}
