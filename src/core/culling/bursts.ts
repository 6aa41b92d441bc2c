// Bursts and near-duplicates: consecutive frames that show the same scene, grouped so a photographer
// keeps the best of each. Two frames belong together when their content embeddings are close and, where
// both record a capture time, they were taken within a few seconds of each other. The embedding is the
// spatial mean of one mid-level backbone layer (expanded_conv_15); src/node/bursts.test.ts measures how it
// separates real photos' shifted, brightened copies from other photos at the default threshold.
import type { FeatureTap } from '../model/features.ts';

export const EMBEDDING_TAP = 'expanded_conv_15/add';

export interface BurstOptions {
  /** Centred cosine similarity at or above which two neighbouring frames are one scene. */
  readonly similarity: number;
  /** Largest gap between capture times inside one burst, when both frames record one. */
  readonly maxGapMs: number;
}

export const DEFAULT_BURSTS: BurstOptions = { similarity: 0.9, maxGapMs: 5000 };

/** The embedding of pooled features laid out as `taps` (the tap's mean block), centred and unit-length. */
export function burstEmbedding(features: ArrayLike<number>, taps: readonly FeatureTap[]): Float32Array {
  let at = 0;
  for (const tap of taps) {
    if (tap.node === EMBEDDING_TAP && tap.pools[0] === 'mean') {
      const v = Float32Array.from({ length: tap.channels }, (_, i) => features[at + i]!);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      for (let i = 0; i < v.length; i++) v[i]! -= mean;
      const norm = Math.hypot(...v) || 1;
      for (let i = 0; i < v.length; i++) v[i]! /= norm;
      return v;
    }
    at += tap.channels * tap.pools.length;
  }
  throw new Error(`the model's features have no ${EMBEDDING_TAP} mean block to group bursts by`);
}

/**
 * An embedding as a short plain string (one char per component, int8-quantised), so the page's store keeps
 * plain data: 224 bytes an image; cosine error from the quantisation is under 0.001.
 */
export function packEmbedding(e: Float32Array): string {
  return String.fromCharCode(...Array.from(e, (x) => Math.max(-127, Math.min(127, Math.round(x * 127))) + 128));
}

export function unpackEmbedding(packed: string): Float32Array {
  // Plain loops: every reopened image is unpacked once, and Math.hypot over a spread was 270 ms for 5,000.
  const v = new Float32Array(packed.length);
  let squares = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] = (packed.charCodeAt(i) - 128) / 127;
    squares += v[i]! * v[i]!;
  }
  const norm = Math.sqrt(squares) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

export function similarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return -1;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Cosine similarity of two packed embeddings, read straight from the strings (the same value as unpacking
 * both, to float rounding): the page keeps no unpacked copy, which was 1 KB of its heap per image.
 */
export function packedSimilarity(a: string, b: string): number {
  if (a.length !== b.length) return -1;
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i) - 128;
    const y = b.charCodeAt(i) - 128;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? 0 : dot / Math.sqrt(aa * bb);
}

/** An embedding as burst grouping takes it: unit-length floats, or packed (packEmbedding). */
export type Embedding = Float32Array | string;

function embeddingSimilarity(a: Embedding, b: Embedding): number {
  if (typeof a === 'string' && typeof b === 'string') return packedSimilarity(a, b);
  return similarity(typeof a === 'string' ? unpackEmbedding(a) : a, typeof b === 'string' ? unpackEmbedding(b) : b);
}

export interface BurstFrame {
  readonly id: string;
  readonly embedding: Embedding | null;
  readonly capturedAt: number | null;
  /** Higher is better; null for a frame without a score (never the best). */
  readonly score: number | null;
}

export interface Burst {
  readonly ids: readonly string[];
  /** The highest-scoring frame. */
  readonly best: string;
}

/**
 * Groups frames in shooting order (capture time, else the given order) into bursts of two or more:
 * each frame joins the burst of the frame before it when the two look alike and were taken close together.
 */
export function groupBursts(frames: readonly BurstFrame[], o: BurstOptions = DEFAULT_BURSTS): Burst[] {
  const withEmbedding = frames.filter((f) => f.embedding !== null);
  // Shooting order: by capture time when every frame has one (stable for equal times), else as given.
  const timed = withEmbedding.every((f) => f.capturedAt !== null);
  const order = timed ? [...withEmbedding].sort((a, b) => a.capturedAt! - b.capturedAt!) : withEmbedding;
  const bursts: BurstFrame[][] = [];
  let current: BurstFrame[] = [];
  for (const f of order) {
    const prev = current.at(-1);
    const close = prev && (prev.capturedAt === null || f.capturedAt === null || Math.abs(f.capturedAt - prev.capturedAt) <= o.maxGapMs);
    if (prev && close && embeddingSimilarity(prev.embedding!, f.embedding!) >= o.similarity) current.push(f);
    else {
      if (current.length > 1) bursts.push(current);
      current = [f];
    }
  }
  if (current.length > 1) bursts.push(current);
  return bursts.map((b) => ({ ids: b.map((f) => f.id), best: b.reduce((x, y) => ((y.score ?? -Infinity) > (x.score ?? -Infinity) ? y : x)).id }));
}
