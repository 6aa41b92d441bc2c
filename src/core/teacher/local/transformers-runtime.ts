// The one file that imports Transformers.js (its Node build in Node, its web build in the browser). It
// loads a model folder that the runtime hands over (a directory on disk, or the files a user picked) with
// remote models off, and gives the teachers a small typed surface, so the teachers' logic does not depend
// on the library's loose types and a library upgrade touches one file.
import {
  AutoModel,
  AutoModelForImageTextToText,
  AutoProcessor,
  AutoTokenizer,
  Gemma3Processor,
  Gemma3nProcessor,
  Gemma4Processor,
  Idefics3Processor,
  Phi3VProcessor,
  Qwen2VLProcessor,
  RawImage,
  env,
} from '@huggingface/transformers';

import { LocalModelError } from './local-model-error.ts';
import type { ModelFolder } from './model-folder.ts';

/** Where Transformers.js reads the folder's files from; never a hub. */
export interface ModelSource {
  /** The path Transformers.js puts before `<folder name>/<file>`: the folder's parent directory in Node. */
  readonly localModelPath: string;
  /** Answers every file read (the browser: the picked files; no network). Absent: the runtime's own file reads (Node). */
  readonly fetch?: (url: string) => Promise<Response>;
  /** Execution device: 'cpu' in Node; 'wasm' or 'webgpu' in the browser. */
  readonly device: 'cpu' | 'wasm' | 'webgpu';
}

/** What the teachers read from a tensor. */
export interface TensorLike {
  readonly dims: readonly number[];
  readonly data: ArrayLike<number | bigint>;
}
/** Model inputs as the processor/tokenizer made them; passed through untouched. */
export type Inputs = Readonly<Record<string, unknown>>;

export interface SessionInfo {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Declared shape of each input: numbers are fixed sizes, strings symbolic. */
  readonly inputShapes: ReadonlyMap<string, readonly (number | string)[]>;
}

export interface LoadedModel {
  /** Per ONNX graph, by Transformers.js session name (model, vision_encoder, ...). */
  readonly sessions: ReadonlyMap<string, SessionInfo>;
  readonly vocab: ReadonlyMap<string, number>;
  readonly unkToken: string | undefined;
  tokenize(text: string): string[];
  /** The chat template rendered as text, or undefined where the tokenizer has none. */
  chatPrompt(messages: readonly ChatMessage[]): string | undefined;
  tokenizeBatch(texts: readonly string[], padding: true | 'max_length'): Inputs;
  process(image: RuntimeImage, text?: string): Promise<Inputs>;
  forward(inputs: Inputs): Promise<Readonly<Record<string, TensorLike>>>;
  dispose(): Promise<void>;
}

export type ChatMessage =
  | { readonly role: 'system'; readonly content: string }
  | { readonly role: 'user'; readonly content: readonly ({ readonly type: 'image' } | { readonly type: 'text'; readonly text: string })[] };

/** An image decoded for the processor (a Transformers.js RawImage), opaque to callers. */
export interface RuntimeImage {
  readonly width: number;
  readonly height: number;
}

/** Decodes encoded bytes (JPEG, PNG, WebP, ...) with the library's own decoder (sharp in Node). */
export async function decodeImage(bytes: Uint8Array, mime: string): Promise<RuntimeImage> {
  try {
    return await RawImage.fromBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
  } catch (err) {
    throw new LocalModelError('bad-image', `cannot decode the image (${mime}): ${(err as Error).message}`);
  }
}

/** A mid-grey RGB image, for the warm-up run that checks a model end to end at load time. */
export function greyImage(width: number, height: number): RuntimeImage {
  return new RawImage(new Uint8ClampedArray(width * height * 3).fill(128), width, height, 3);
}

// Processors disagree on argument order: LLaVA, PaliGemma, Florence-2 take (images, text); these take
// (text, images). Subclasses (Qwen2.5-VL, Qwen3-VL, GLM-4.6V, SmolVLM) inherit the order.
const TEXT_FIRST_PROCESSORS = [Qwen2VLProcessor, Idefics3Processor, Phi3VProcessor, Gemma3Processor, Gemma3nProcessor, Gemma4Processor];

export async function loadModel(folder: ModelFolder, source: ModelSource): Promise<LoadedModel> {
  // Never reach a hub: only the folder's own files are read.
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useBrowserCache = false;
  env.localModelPath = source.localModelPath;
  if (source.fetch) env.fetch = source.fetch as typeof env.fetch;
  const id = folder.name;
  const options = { local_files_only: true, dtype: folder.dtype, device: source.device };

  const attempt = async <T>(what: string, load: () => Promise<T>): Promise<T> => {
    try {
      return await load();
    } catch (err) {
      throw new LocalModelError('load-failed', `${folder.dir}: loading the ${what} failed: ${(err as Error).message}`);
    }
  };
  const tokenizer = await attempt('tokenizer (tokenizer.json, tokenizer_config.json)', () => AutoTokenizer.from_pretrained(id, options));
  const processor = await attempt('image processor (preprocessor_config.json)', () => AutoProcessor.from_pretrained(id, options));
  const model = await attempt(`ONNX model (${folder.graphFiles.join(', ')})`, () =>
    folder.kind === 'vlm' ? AutoModelForImageTextToText.from_pretrained(id, options) : AutoModel.from_pretrained(id, options),
  );

  const raw = (model as unknown as { sessions: Record<string, { inputNames: string[]; outputNames: string[]; inputMetadata?: { name: string; shape?: (number | string)[] }[] }> }).sessions;
  const sessions = new Map<string, SessionInfo>(
    Object.entries(raw).map(([name, s]) => [
      name,
      {
        inputNames: s.inputNames,
        outputNames: s.outputNames,
        inputShapes: new Map((s.inputMetadata ?? []).map((m) => [m.name, m.shape ?? []])),
      },
    ]),
  );
  const tok = tokenizer as unknown as {
    get_vocab(): Map<string, number>;
    unk_token?: string;
    tokenize(text: string): string[];
    apply_chat_template(messages: unknown, options: Record<string, unknown>): string;
    (texts: string[], options: Record<string, unknown>): Inputs;
  };
  const vocab = tok.get_vocab();
  const textFirst = TEXT_FIRST_PROCESSORS.some((cls) => processor instanceof cls);
  const proc = processor as unknown as (a: unknown, b?: unknown) => Promise<Inputs>;
  const run = model as unknown as ((inputs: Inputs) => Promise<Record<string, TensorLike>>) & { dispose(): Promise<unknown> };

  return {
    sessions,
    vocab,
    unkToken: tok.unk_token ?? undefined,
    tokenize: (text) => tok.tokenize(text),
    chatPrompt: (messages) => {
      try {
        return tok.apply_chat_template(messages, { add_generation_prompt: true, tokenize: false });
      } catch (err) {
        if (/chat_template is not set/.test((err as Error).message)) return undefined;
        throw err;
      }
    },
    tokenizeBatch: (texts, padding) => tok([...texts], { padding, truncation: true }),
    process: (image, text) => (text === undefined ? proc(image) : textFirst ? proc(text, image) : proc(image, text)),
    forward: (inputs) => run(inputs),
    dispose: async () => {
      await run.dispose();
    },
  };
}
