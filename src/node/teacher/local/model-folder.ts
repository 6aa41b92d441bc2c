// Checks a local model folder before any runtime touches it: the folder and every file the chosen kind
// needs exist, config.json parses, and the folder is of the kind asked for. Transformers.js would
// otherwise fail later with a generic "file not found" that does not say which kind needs what.
import fs from 'node:fs';
import path from 'node:path';

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
const GRAPHS: Record<LocalKind, readonly string[]> = {
  clip: ['model'],
  vlm: ['vision_encoder', 'embed_tokens', 'decoder_model_merged'],
};
const JSON_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json'] as const;

export interface ModelFolder {
  readonly dir: string;
  readonly kind: LocalKind;
  readonly dtype: LocalDtype;
  readonly config: { readonly model_type?: string; readonly [key: string]: unknown };
  /** onnx/<graph><suffix>.onnx for each graph the kind needs. */
  readonly graphFiles: readonly string[];
}

export function checkModelFolder(dir: string, kind: LocalKind, dtype: LocalDtype = 'fp32'): ModelFolder {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw new LocalModelError('missing-folder', `model folder ${abs} does not exist (pass --model DIR, a folder with config.json and onnx/)`);
  }
  const other: LocalKind = kind === 'clip' ? 'vlm' : 'clip';
  const has = (graph: string) => fs.existsSync(path.join(abs, 'onnx', `${graph}${DTYPE_SUFFIX[dtype]}.onnx`));
  const graphFiles = GRAPHS[kind].map((g) => `onnx/${g}${DTYPE_SUFFIX[dtype]}.onnx`);
  const missingGraphs = GRAPHS[kind].filter((g) => !has(g));
  if (missingGraphs.length && GRAPHS[other].every(has)) {
    throw new LocalModelError(
      'wrong-kind',
      `${abs} holds a ${other === 'vlm' ? 'vision-language' : 'CLIP-style'} model (${GRAPHS[other].map((g) => `onnx/${g}.onnx`).join(', ')}), not a ${kind} one: pass --kind ${other}`,
    );
  }
  const missing = [...JSON_FILES.filter((f) => !fs.existsSync(path.join(abs, f))), ...graphFiles.filter((_, i) => missingGraphs.includes(GRAPHS[kind][i]!))];
  if (missing.length) {
    throw new LocalModelError('missing-file', `${abs} lacks ${missing.join(', ')} (a ${kind} folder needs ${[...JSON_FILES, ...graphFiles].join(', ')})${dtypeHint(abs, kind, dtype)}`);
  }
  let config: ModelFolder['config'];
  try {
    config = JSON.parse(fs.readFileSync(path.join(abs, 'config.json'), 'utf8'));
  } catch (err) {
    throw new LocalModelError('bad-config', `${path.join(abs, 'config.json')} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof config?.model_type !== 'string') {
    throw new LocalModelError('bad-config', `${path.join(abs, 'config.json')} has no "model_type": is this a Transformers.js model folder?`);
  }
  return { dir: abs, kind, dtype, config, graphFiles };
}

/** Where the wanted precision is missing but another one is there, say which --dtype would load it. */
function dtypeHint(dir: string, kind: LocalKind, dtype: LocalDtype): string {
  const present = (Object.keys(DTYPE_SUFFIX) as LocalDtype[]).filter(
    (d) => d !== dtype && GRAPHS[kind].every((g) => fs.existsSync(path.join(dir, 'onnx', `${g}${DTYPE_SUFFIX[d]}.onnx`))),
  );
  return present.length ? `; the folder has the ${present.join(', ')} files: pass --dtype ${present[0]}` : '';
}
