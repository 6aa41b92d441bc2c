// The student's quality head: standardise pooled features, then a linear map either to 5 level logits
// (softmax -> expected level, the teacher's own form) or straight to a scalar score. Pure TS so the CLI,
// the worker and the trainer all share it without a tensor round-trip.
import { LEVEL_VALUES, type LevelProbs, softmaxLevels } from '../teacher/types.ts';

export type HeadKind = 'levels' | 'scalar';

export interface LinearHead {
  readonly kind: HeadKind;
  readonly mean: Float32Array;
  readonly std: Float32Array;
  /** Row-major [dims, outputs]. */
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

export interface HeadOutput {
  /** Expected level, 1 (bad) .. 5 (excellent). */
  readonly score: number;
  /** Level distribution (excellent first); for a scalar head a distribution centred on the score. */
  readonly probs: LevelProbs;
}

export function headOutputs(kind: HeadKind): number {
  return kind === 'levels' ? 5 : 1;
}

export function headDims(head: LinearHead): number {
  return head.mean.length;
}

export function standardise(head: Pick<LinearHead, 'mean' | 'std'>, features: ArrayLike<number>): Float64Array {
  const z = new Float64Array(head.mean.length);
  for (let i = 0; i < z.length; i++) z[i] = (features[i]! - head.mean[i]!) / head.std[i]!;
  return z;
}

/** The head's linear outputs before the softmax or squash (for a scalar head, the raw score). */
export function linearOutputs(head: LinearHead, features: ArrayLike<number>): number[] {
  const dims = headDims(head);
  if (features.length !== dims) throw new Error(`head expects ${dims} features, got ${features.length}`);
  const k = headOutputs(head.kind);
  const z = standardise(head, features);
  const out = Array.from(head.bias, Number);
  for (let i = 0; i < dims; i++) {
    const zi = z[i]!;
    if (zi === 0) continue;
    const row = i * k;
    for (let j = 0; j < k; j++) out[j]! += zi * head.weights[row + j]!;
  }
  return out;
}

export function applyHead(head: LinearHead, features: ArrayLike<number>): HeadOutput {
  const out = linearOutputs(head, features);
  if (head.kind === 'levels') {
    const probs = softmaxLevels(out);
    let score = 0;
    for (let j = 0; j < 5; j++) score += probs[j]! * LEVEL_VALUES[j]!;
    return { score, probs };
  }
  const score = squashToLevels(out[0]!);
  return { score, probs: probsAround(score) };
}

/**
 * A linear head can overshoot the 1..5 level scale on unusual images; this strictly increasing squash
 * keeps every score inside (1, 5) without tying any two images (a clamp would), and is ~identity near 3.
 */
export function squashToLevels(raw: number): number {
  return 3 + 2 * Math.tanh((raw - 3) / 2);
}

/** A soft one-hot over levels centred at `score` (for display when the head is scalar). */
export function probsAround(score: number): LevelProbs {
  const logits = LEVEL_VALUES.map((v) => -2 * (v - score) ** 2);
  return softmaxLevels(logits);
}

/**
 * The head with `extra` inputs appended, taken as they come (mean 0, std 1), each with one weight per output:
 * how a head trained on backbone features alone also weighs the measures that follow them.
 */
export function extendHead(head: LinearHead, extra: readonly (readonly number[])[]): LinearHead {
  const d = headDims(head);
  const k = headOutputs(head.kind);
  const n = d + extra.length;
  const grow = (a: Float32Array, fill: number) => {
    const out = new Float32Array(n).fill(fill);
    out.set(a);
    return out;
  };
  const weights = new Float32Array(n * k);
  weights.set(head.weights);
  extra.forEach((w, i) => {
    if (w.length !== k) throw new Error(`an extra input needs ${k} weights, got ${w.length}`);
    weights.set(w, (d + i) * k);
  });
  return { kind: head.kind, mean: grow(head.mean, 0), std: grow(head.std, 1), weights, bias: Float32Array.from(head.bias) };
}

/** The first `dims` inputs of a head and the weights of the rest (undoes extendHead). */
export function splitHead(head: LinearHead, dims: number): { head: LinearHead; extra: number[][] } {
  const k = headOutputs(head.kind);
  const extra = Array.from({ length: headDims(head) - dims }, (_, i) => Array.from(head.weights.subarray((dims + i) * k, (dims + i + 1) * k)));
  return { head: { kind: head.kind, mean: head.mean.subarray(0, dims), std: head.std.subarray(0, dims), weights: head.weights.subarray(0, dims * k), bias: head.bias }, extra };
}

/** Serialised layout: mean[d], std[d], weights[d*k], bias[k] as little-endian float32. */
export function encodeHead(head: LinearHead): ArrayBuffer {
  const d = headDims(head);
  const k = headOutputs(head.kind);
  const out = new Float32Array(2 * d + d * k + k);
  out.set(head.mean, 0);
  out.set(head.std, d);
  out.set(head.weights, 2 * d);
  out.set(head.bias, 2 * d + d * k);
  return out.buffer;
}

export function decodeHead(buffer: ArrayBuffer, kind: HeadKind, dims: number): LinearHead {
  const k = headOutputs(kind);
  const expected = (2 * dims + dims * k + k) * 4;
  if (buffer.byteLength !== expected) {
    throw new Error(`head file holds ${buffer.byteLength} bytes, expected ${expected} for ${dims} features x ${k} outputs`);
  }
  const all = new Float32Array(buffer);
  return {
    kind,
    mean: all.subarray(0, dims),
    std: all.subarray(dims, 2 * dims),
    weights: all.subarray(2 * dims, 2 * dims + dims * k),
    bias: all.subarray(2 * dims + dims * k),
  };
}
