// A model folder the user picked, as Transformers.js needs it in the browser: the kind and precision read
// off the file names, the same checks as `leaf teacher local`, and every file read answered from the
// picked Files (Transformers.js's fetch is replaced), so nothing is fetched from any server.
import { LocalModelError } from '../core/teacher/local/local-model-error.ts';
import { checkModelFiles, DTYPE_SUFFIX, GRAPHS, type LocalDtype, localTeacherId, MODEL_JSON_FILES, type ModelFolder } from '../core/teacher/local/model-folder.ts';
import type { ModelSource } from '../core/teacher/local/transformers-runtime.ts';
import type { FolderFile, TeacherDevice } from './teacher-protocol.ts';

/** A virtual root: Transformers.js asks for `${ROOT}${folder name}/${file}`, and only the picked files answer. */
const ROOT = '/leaf-local-teacher/';

/** Preferred precision first: full precision where present, else the smaller exports people ship. */
const DTYPE_ORDER: readonly LocalDtype[] = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4f16', 'q4', 'bnb4'];

export interface PickedFolder {
  readonly folder: ModelFolder;
  readonly id: string;
  readonly source: ModelSource;
}

/** Paths of a picked folder arrive as "<folder>/onnx/model.onnx" (webkitRelativePath); keep what is inside the folder. */
export function insideFolder(path: string, folderName: string): string {
  return path.startsWith(`${folderName}/`) ? path.slice(folderName.length + 1) : path;
}

export async function pickedFolder(folderName: string, picked: readonly FolderFile[], device: TeacherDevice): Promise<PickedFolder> {
  const files = new Map(picked.map((f) => [insideFolder(f.path, folderName), f.file]));
  if (files.size === 0) throw new LocalModelError('missing-folder', `the folder ${folderName} is empty`);
  const graph = (g: string, dtype: LocalDtype) => files.has(`onnx/${g}${DTYPE_SUFFIX[dtype]}.onnx`);
  const kinds = ['clip', 'vlm'] as const;
  // A kind and precision whose graphs are all there; else the first that has any, so the check names what is missing.
  const complete = kinds.flatMap((kind) => DTYPE_ORDER.filter((d) => GRAPHS[kind].every((g) => graph(g, d))).map((dtype) => ({ kind, dtype })));
  const partial = kinds.flatMap((kind) => DTYPE_ORDER.filter((d) => GRAPHS[kind].some((g) => graph(g, d))).map((dtype) => ({ kind, dtype })));
  const choice = complete[0] ?? partial[0];
  if (!choice) {
    throw new LocalModelError(
      'missing-file',
      `${folderName} has no ONNX model Transformers.js can run: a CLIP-style folder needs onnx/model.onnx, a vision-language one onnx/vision_encoder.onnx, embed_tokens.onnx and decoder_model_merged.onnx (or their _fp16, _quantized, _q4 exports)`,
    );
  }
  const configText = files.has('config.json') ? await files.get('config.json')!.text() : '';
  const { kind, dtype } = choice;
  const folder = checkModelFiles({ dir: folderName, name: folderName, has: (rel) => files.has(rel), readConfig: () => configText }, kind, dtype);
  const jsonBytes = await Promise.all(MODEL_JSON_FILES.map(async (f) => new Uint8Array(await files.get(f)!.arrayBuffer())));
  const id = await localTeacherId(folder, jsonBytes, folder.graphFiles.map((g) => files.get(g)!.size));
  const prefix = `${ROOT}${folderName}/`;
  const source: ModelSource = {
    localModelPath: ROOT,
    device,
    fetch: async (url) => {
      const at = String(url).indexOf(prefix);
      const file = at >= 0 ? files.get(decodeURIComponent(String(url).slice(at + prefix.length))) : undefined;
      // Optional files (generation_config.json, ...) are simply absent: a 404 is what Transformers.js expects then.
      return file ? new Response(file, { headers: { 'content-length': String(file.size) } }) : new Response(null, { status: 404, statusText: 'not in the picked folder' });
    },
  };
  return { folder, id, source };
}
