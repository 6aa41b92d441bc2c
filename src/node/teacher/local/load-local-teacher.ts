// `loadLocalTeacher`: folder checks, then the runtime, then the kind's own checks and warm-up. The id
// names the folder and fingerprints its files, so judgments cached from another model (or another
// export of it) are never served for this one.
import fs from 'node:fs';
import path from 'node:path';

import { sha256HexSync } from '../../sha256.ts';
import { ClipTeacher } from './clip-teacher.ts';
import type { LocalTeacher } from './local-teacher.ts';
import { checkModelFolder, type LocalDtype, type LocalKind, type ModelFolder } from './model-folder.ts';
import { loadModel } from './transformers-runtime.ts';
import { VlmTeacher } from './vlm-teacher.ts';

export interface LocalTeacherOptions {
  readonly model: string;
  readonly kind: LocalKind;
  readonly dtype?: LocalDtype;
}

export async function loadLocalTeacher(options: LocalTeacherOptions): Promise<LocalTeacher> {
  const folder = checkModelFolder(options.model, options.kind, options.dtype);
  const id = `local-${folder.kind}:${path.basename(folder.dir)}@${fingerprint(folder)}`;
  const model = await loadModel(folder);
  try {
    return folder.kind === 'clip' ? await ClipTeacher.create(id, folder, model) : await VlmTeacher.create(id, folder, model);
  } catch (err) {
    await model.dispose();
    throw err;
  }
}

/** Hash of the configs' bytes and the graphs' sizes: cheap for multi-GB graphs, yet changes with a re-export. */
function fingerprint(folder: ModelFolder): string {
  const parts = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json'].map((f) =>
    sha256HexSync(fs.readFileSync(path.join(folder.dir, f))),
  );
  for (const g of folder.graphFiles) parts.push(`${g}:${fs.statSync(path.join(folder.dir, g)).size}`);
  return sha256HexSync(parts.join('\n')).slice(0, 12);
}
