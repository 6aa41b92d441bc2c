// Checks a local model folder before any runtime touches it: the folder holds every file the chosen kind
// needs, config.json parses, and the folder is of the kind asked for. Transformers.js would otherwise fail
// later with a generic "file not found" that does not say which kind needs what. Pure over a listing, so
// Node (a directory) and the browser (the files a user picked) check alike.
import { sha256HexAsync } from '../../model/sha256.ts';
import { LocalModelError } from './local-model-error.ts';

export const LOCAL_KINDS = ['vlm', 'clip'] as const;
export type LocalKind = (typeof LOCAL_KINDS)[number];

/** Transformers.js dtype -> suffix of the ONNX file names it loads. */
export const DTYPE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
} as const;
export type LocalDtype = keyof typeof DTYPE_SUFFIX;

/** ONNX graphs (without suffix) each kind runs, in the names Transformers.js gives its sessions. */
export const GRAPHS: Record<LocalKind, readonly string[]> = {
  clip: ['model'],
  vlm: ['vision_encoder', 'embed_tokens', 'decoder_model_merged'],
};
export const MODEL_JSON_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json'] as const;

export interface ModelFolder {
  /** How messages name the folder: its absolute path in Node, its name in the browser. */
  readonly dir: string;
  /** The folder's own name (what Transformers.js loads as the model id). */
  readonly name: string;
  readonly kind: LocalKind;
  readonly dtype: LocalDtype;
  readonly config: { readonly model_type?: string; readonly [key: string]: unknown };
  /** onnx/<graph><suffix>.onnx for each graph the kind needs. */
  readonly graphFiles: readonly string[];
}

/** What a runtime shows of a folder: which relative paths exist, and config.json's text. */
export interface FolderListing {
  readonly dir: string;
  readonly name: string;
  has(relativePath: string): boolean;
  readConfig(): string;
}

export function checkModelFiles(folder: FolderListing, kind: LocalKind, dtype: LocalDtype = 'fp32'): ModelFolder {
  const { dir } = folder;
  const other: LocalKind = kind === 'clip' ? 'vlm' : 'clip';
  const has = (graph: string, d: LocalDtype = dtype) => folder.has(`onnx/${graph}${DTYPE_SUFFIX[d]}.onnx`);
  const graphFiles = GRAPHS[kind].map((g) => `onnx/${g}${DTYPE_SUFFIX[dtype]}.onnx`);
  const missingGraphs = GRAPHS[kind].filter((g) => !has(g));
  if (missingGraphs.length && GRAPHS[other].every((g) => has(g))) {
    throw new LocalModelError(
      'wrong-kind',
      `${dir} holds a ${other === 'vlm' ? 'vision-language' : 'CLIP-style'} model (${GRAPHS[other].map((g) => `onnx/${g}.onnx`).join(', ')}), not a ${kind} one: pass --kind ${other}`,
    );
  }
  const missing = [...MODEL_JSON_FILES.filter((f) => !folder.has(f)), ...graphFiles.filter((_, i) => missingGraphs.includes(GRAPHS[kind][i]!))];
  if (missing.length) {
    const present = (Object.keys(DTYPE_SUFFIX) as LocalDtype[]).filter((d) => d !== dtype && GRAPHS[kind].every((g) => has(g, d)));
    const hint = present.length ? `; the folder has the ${present.join(', ')} files: pass --dtype ${present[0]}` : '';
    throw new LocalModelError('missing-file', `${dir} lacks ${missing.join(', ')} (a ${kind} folder needs ${[...MODEL_JSON_FILES, ...graphFiles].join(', ')})${hint}`);
  }
  let config: ModelFolder['config'];
  try {
    config = JSON.parse(folder.readConfig());
  } catch (err) {
    throw new LocalModelError('bad-config', `${dir}/config.json is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof config?.model_type !== 'string') {
    throw new LocalModelError('bad-config', `${dir}/config.json has no "model_type": is this a Transformers.js model folder?`);
  }
  return { dir, name: folder.name, kind, dtype, config, graphFiles };
}

/**
 * Teacher id: kind, folder name and a hash of the configs' bytes and the graphs' sizes (cheap for
 * multi-GB graphs, yet changes with a re-export), so judgments cached from another model are never
 * served for this one. The same folder gets the same id in Node and in the browser. `jsonBytes`: the
 * bytes of MODEL_JSON_FILES in that order; `graphSizes`: the byte size of each of folder.graphFiles.
 */
export async function localTeacherId(folder: ModelFolder, jsonBytes: readonly Uint8Array[], graphSizes: readonly number[]): Promise<string> {
  const parts = await Promise.all(jsonBytes.map((b) => sha256HexAsync(b)));
  folder.graphFiles.forEach((g, i) => parts.push(`${g}:${graphSizes[i]}`));
  const fingerprint = (await sha256HexAsync(new TextEncoder().encode(parts.join('\n')))).slice(0, 12);
  return `local-${folder.kind}:${folder.name}@${fingerprint}`;
}
