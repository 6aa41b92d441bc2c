// Builds tiny but real model folders of both local-teacher kinds, in the layout Transformers.js reads
// (config.json, preprocessor_config.json, tokenizer.json, tokenizer_config.json, onnx/*.onnx). Their
// weights are chosen by hand so the answer is predictable: brighter images are "better". Options break
// one thing at a time, so each load error can be provoked for real.
import fs from 'node:fs';
import path from 'node:path';

import { LEVELS } from '../../../core/teacher/types.ts';
import { CLIP_PROMPT_PAIRS } from '../../../core/teacher/clip-levels.ts';
import { encodeModel, type Graph } from './onnx-writer.ts';

/** Side of the square input the tiny vision encoders expect. */
export const TINY_IMAGE_SIZE = 8;
const D = 4; // embedding width

export interface TinyOptions {
  /** Vision input side declared by the ONNX graph (default TINY_IMAGE_SIZE). */
  readonly graphImageSize?: number;
  /** Side preprocessor_config.json resizes to (default TINY_IMAGE_SIZE). */
  readonly processorImageSize?: number;
  /** Name of the output the teacher reads (default logits_per_image / logits). */
  readonly outputName?: string;
  /** Words left out of the tokenizer's vocabulary. */
  readonly dropWords?: readonly string[];
  /** Files not written, relative to the folder (e.g. "tokenizer.json", "onnx/model.onnx"). */
  readonly omit?: readonly string[];
  /** Name of the graph's image input (default pixel_values). */
  readonly imageInputName?: string;
  /** VLM only: a chat template that never places the image. */
  readonly templateWithoutImage?: boolean;
}

function write(dir: string, file: string, data: string | Uint8Array, options: TinyOptions): void {
  if (options.omit?.includes(file)) return;
  const target = path.join(dir, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, typeof data === 'string' ? data : Buffer.from(data));
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Words that mean "better" / "worse" to the tiny models; all others are neutral. */
const POSITIVE = new Set(['good', 'sharp', 'clean', 'high', 'excellent']);
const NEGATIVE = new Set(['bad', 'blurry', 'noisy', 'low', 'poor']);

/** A WordPiece tokenizer.json over whole words (every word the prompts use is one token). */
function tokenizerJson(words: readonly string[], special: readonly string[]) {
  const vocab: Record<string, number> = {};
  for (const w of [...special, ...words]) if (!(w in vocab)) vocab[w] = Object.keys(vocab).length;
  return {
    vocab,
    json: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: special.map((content) => ({
        id: vocab[content],
        content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: { type: 'Lowercase' },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: null,
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
    },
  };
}

function wordsOf(texts: readonly string[]): string[] {
  return [...new Set(texts.flatMap((t) => t.toLowerCase().match(/[a-z]+|[^a-z\s]/g) ?? []))];
}

function wordValue(word: string): number {
  return POSITIVE.has(word) ? 1 : NEGATIVE.has(word) ? -1 : 0;
}

function imageProcessorConfig(size: number, processorClass?: string) {
  return {
    ...(processorClass ? { processor_class: processorClass } : {}),
    image_processor_type: 'CLIPImageProcessor',
    do_resize: true,
    size: { shortest_edge: size },
    do_center_crop: true,
    crop_size: { height: size, width: size },
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: [0.5, 0.5, 0.5],
    image_std: [0.5, 0.5, 0.5],
    do_convert_rgb: true,
    resample: 3,
  };
}

/**
 * A CLIP-style dual encoder: image embedding = mean brightness along one axis, text embedding = sum of
 * word embeddings where "good"-like words point along that axis and "bad"-like words against it.
 */
export function writeTinyClip(dir: string, options: TinyOptions = {}): void {
  const graphSize = options.graphImageSize ?? TINY_IMAGE_SIZE;
  const words = wordsOf(CLIP_PROMPT_PAIRS.flat()).filter((w) => !options.dropWords?.includes(w));
  const { vocab, json: tok } = tokenizerJson(words, ['[PAD]', '[UNK]']);
  const table = Object.keys(vocab).flatMap((w) => [wordValue(w), 0, 0, 0.1]);
  const graph: Graph = {
    inputs: [
      { name: 'input_ids', type: 'int64', shape: ['text_batch', 'sequence'] },
      { name: options.imageInputName ?? 'pixel_values', type: 'float', shape: ['image_batch', 3, graphSize, graphSize] },
    ],
    outputs: [{ name: options.outputName ?? 'logits_per_image', type: 'float', shape: ['image_batch', 'text_batch'] }],
    nodes: [
      { op: 'ReduceMean', inputs: [options.imageInputName ?? 'pixel_values'], outputs: ['brightness'], attrs: { axes: [2, 3], keepdims: 0 } },
      { op: 'MatMul', inputs: ['brightness', 'w_image'], outputs: ['image_embeds'] },
      { op: 'Gather', inputs: ['embedding', 'input_ids'], outputs: ['token_embeds'] },
      { op: 'ReduceSum', inputs: ['token_embeds', 'axis_1'], outputs: ['text_embeds'], attrs: { keepdims: 0 } },
      { op: 'Transpose', inputs: ['text_embeds'], outputs: ['text_embeds_t'], attrs: { perm: [1, 0] } },
      { op: 'MatMul', inputs: ['image_embeds', 'text_embeds_t'], outputs: ['raw_logits'] },
      { op: 'Mul', inputs: ['raw_logits', 'logit_scale'], outputs: [options.outputName ?? 'logits_per_image'] },
    ],
    initializers: [
      { name: 'w_image', type: 'float', dims: [3, D], values: [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0].map((v) => v / 3) },
      { name: 'embedding', type: 'float', dims: [Object.keys(vocab).length, D], values: table },
      { name: 'axis_1', type: 'int64', dims: [1], values: [1] },
      { name: 'logit_scale', type: 'float', dims: [], values: [10] },
    ],
  };
  write(dir, 'config.json', json({ model_type: 'clip', architectures: ['CLIPModel'] }), options);
  write(dir, 'preprocessor_config.json', json(imageProcessorConfig(options.processorImageSize ?? TINY_IMAGE_SIZE)), options);
  write(dir, 'tokenizer.json', json(tok), options);
  write(dir, 'tokenizer_config.json', json({ tokenizer_class: 'BertTokenizer', pad_token: '[PAD]', unk_token: '[UNK]', model_max_length: 77 }), options);
  write(dir, 'onnx/model.onnx', encodeModel(graph), options);
}

/** Words the tiny VLM's tokenizer knows besides the prompt's: the level words and a few distractors. */
const VLM_EXTRA_WORDS = [...LEVELS, 'first', 'second', 'the', 'image'];

/**
 * A LLaVA-layout vision-language model (vision_encoder, embed_tokens, decoder_model_merged). The image
 * becomes one token whose embedding carries its brightness; the decoder adds the sequence mean to every
 * position and projects onto the vocabulary, so the next-word logits after the prompt favour "excellent"
 * for a bright image and "bad" for a dark one.
 */
export function writeTinyVlm(dir: string, promptTexts: readonly string[], options: TinyOptions = {}): void {
  const graphSize = options.graphImageSize ?? TINY_IMAGE_SIZE;
  const words = wordsOf([...promptTexts, ...VLM_EXTRA_WORDS]).filter((w) => !options.dropWords?.includes(w));
  const { vocab, json: tok } = tokenizerJson(words, ['[PAD]', '[UNK]', '<s>', '</s>', '<image>']);
  const V = Object.keys(vocab).length;
  // Embedding: dim 0 = bias toward neutral words, dims 1..3 unused by text (image brightness lives in dim 1).
  const table = Object.keys(vocab).flatMap(() => [1, 0, 0, 0]);
  // Output projection: level word i gets logit (2 - i) * 4 * brightness, i.e. excellent high when bright.
  const proj: number[] = new Array(D * V).fill(0);
  for (const [word, id] of Object.entries(vocab)) {
    const level = (LEVELS as readonly string[]).indexOf(word);
    if (level >= 0) proj[1 * V + id] = (2 - level) * 64;
    else proj[0 * V + id] = -2; // non-level words stay unlikely so level words dominate the top-k
  }
  write(dir, 'config.json', json({
    model_type: 'llava',
    architectures: ['LlavaForConditionalGeneration'],
    image_token_index: vocab['<image>'],
    text_config: { model_type: 'llama', hidden_size: D, num_hidden_layers: 1, num_attention_heads: 1, num_key_value_heads: 1, vocab_size: V },
    vision_config: { model_type: 'clip_vision_model', hidden_size: D, image_size: graphSize, patch_size: graphSize },
  }), options);
  write(dir, 'preprocessor_config.json', json(imageProcessorConfig(options.processorImageSize ?? TINY_IMAGE_SIZE, 'LlavaProcessor')), options);
  write(dir, 'processor_config.json', json({ processor_class: 'LlavaProcessor', image_token: '<image>', patch_size: graphSize, num_additional_image_tokens: 0 }), options);
  write(dir, 'tokenizer.json', json(tok), options);
  write(dir, 'tokenizer_config.json', json({
    tokenizer_class: 'BertTokenizer',
    bos_token: '<s>',
    eos_token: '</s>',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    model_max_length: 512,
    // A minimal chat template that places the image where the real LLaVA templates do.
    chat_template:
      "{% for m in messages %}{{ m['role'] }}: {% if m['content'] is string %}{{ m['content'] }}{% else %}" +
      `{% for c in m['content'] %}{% if c['type'] == 'image' %}${options.templateWithoutImage ? '' : '<image> '}{% else %}{{ c['text'] }}{% endif %}{% endfor %}` +
      "{% endif %} {% endfor %}{% if add_generation_prompt %}assistant: {% endif %}",
  }), options);
  write(dir, 'onnx/vision_encoder.onnx', encodeModel({
    inputs: [{ name: 'pixel_values', type: 'float', shape: ['batch', 3, graphSize, graphSize] }],
    outputs: [{ name: 'image_features', type: 'float', shape: ['batch', 1, D] }],
    nodes: [
      { op: 'ReduceMean', inputs: ['pixel_values'], outputs: ['brightness'], attrs: { axes: [1, 2, 3], keepdims: 0 } },
      { op: 'Unsqueeze', inputs: ['brightness', 'axes_12'], outputs: ['b3'] },
      { op: 'Mul', inputs: ['b3', 'direction'], outputs: ['image_features'] },
    ],
    initializers: [
      { name: 'axes_12', type: 'int64', dims: [2], values: [1, 2] },
      { name: 'direction', type: 'float', dims: [1, 1, D], values: [0, 1, 0, 0] },
    ],
  }), options);
  write(dir, 'onnx/embed_tokens.onnx', encodeModel({
    inputs: [{ name: 'input_ids', type: 'int64', shape: ['batch', 'sequence'] }],
    outputs: [{ name: 'inputs_embeds', type: 'float', shape: ['batch', 'sequence', D] }],
    nodes: [{ op: 'Gather', inputs: ['embedding', 'input_ids'], outputs: ['inputs_embeds'] }],
    initializers: [{ name: 'embedding', type: 'float', dims: [V, D], values: table }],
  }), options);
  write(dir, 'onnx/decoder_model_merged.onnx', encodeModel({
    inputs: [
      { name: 'inputs_embeds', type: 'float', shape: ['batch', 'sequence', D] },
      { name: 'attention_mask', type: 'int64', shape: ['batch', 'sequence'] },
    ],
    outputs: [{ name: options.outputName ?? 'logits', type: 'float', shape: ['batch', 'sequence', V] }],
    nodes: [
      // Every position sees the whole sequence's mean, so the last position knows the image.
      { op: 'ReduceMean', inputs: ['inputs_embeds'], outputs: ['mean'], attrs: { axes: [1], keepdims: 1 } },
      { op: 'Sub', inputs: ['inputs_embeds', 'inputs_embeds'], outputs: ['zeros'] },
      { op: 'Add', inputs: ['zeros', 'mean'], outputs: ['hidden'] },
      { op: 'Mul', inputs: ['hidden', 'seq_scale'], outputs: ['scaled'] },
      { op: 'MatMul', inputs: ['scaled', 'proj'], outputs: [options.outputName ?? 'logits'] },
    ],
    initializers: [
      { name: 'seq_scale', type: 'float', dims: [], values: [1] },
      { name: 'proj', type: 'float', dims: [D, V], values: proj },
    ],
  }), options);
}
