// `loadLocalTeacher`: the runtime's folder (already checked), then Transformers.js, then the kind's own
// checks and warm-up. Shared by `leaf teacher local` (a directory) and the browser (picked files).
import { ClipTeacher } from './clip-teacher.ts';
import type { LocalTeacher } from './local-teacher.ts';
import type { ModelFolder } from './model-folder.ts';
import { loadModel, type ModelSource } from './transformers-runtime.ts';
import { VlmTeacher } from './vlm-teacher.ts';

export async function loadCheckedTeacher(id: string, folder: ModelFolder, source: ModelSource): Promise<LocalTeacher> {
  const model = await loadModel(folder, source);
  try {
    return folder.kind === 'clip' ? await ClipTeacher.create(id, folder, model) : await VlmTeacher.create(id, folder, model);
  } catch (err) {
    await model.dispose();
    throw err;
  }
}
