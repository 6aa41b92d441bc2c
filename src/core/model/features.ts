// Pooled multi-layer features of the frozen MobileNetV2 backbone. Early layers see blur, noise and
// compression artefacts; the last layer sees content and aesthetics. Each tap is pooled over space
// (mean, and std where texture statistics matter) into one fixed-length vector per image.
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { unseenNoise } from '../image/noise-level.ts';
import { blendFeatures, cropRgb, type PatchBox, pickPatches, wantsPatches } from './detail-patches.ts';
import { type Pixels, type ResizeSpec, toModelInput } from './preprocess.ts';
import { shrinkForModel } from './shrink.ts';

export const BACKBONE_SCOPE =
  'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/MobilenetV2/';

export type Pool = 'mean' | 'std';

export interface FeatureTap {
  /** Node name relative to the MobilenetV2 scope of the backbone graph. */
  readonly node: string;
  readonly channels: number;
  readonly pools: readonly Pool[];
}

export const DEFAULT_TAPS: readonly FeatureTap[] = [
  { node: 'expanded_conv_2/add', channels: 32, pools: ['mean', 'std'] },
  { node: 'expanded_conv_5/add', channels: 48, pools: ['mean', 'std'] },
  { node: 'expanded_conv_9/add', channels: 88, pools: ['mean', 'std'] },
  { node: 'expanded_conv_12/add', channels: 136, pools: ['mean', 'std'] },
  { node: 'expanded_conv_15/add', channels: 224, pools: ['mean', 'std'] },
  { node: 'Conv_1/Relu6', channels: 1792, pools: ['mean', 'std'] },
];

/**
 * Values measured on the pixels that follow the pooled backbone features in a model's feature vector:
 * 'unseen-noise' is the noise a large image shows at 1:1 that its global view hides (noise-level.ts), which
 * the backbone reads as fine texture in a 1:1 patch. 0 when no patches are cut (and always in Quick).
 */
export type Measure = 'unseen-noise';
export const MEASURES: readonly Measure[] = ['unseen-noise'];

/** Length of the feature vector: the taps' pooled values, then one value per measure. */
export function featureLength(taps: readonly FeatureTap[], measures: readonly Measure[] = []): number {
  return taps.reduce((n, t) => n + t.channels * t.pools.length, 0) + measures.length;
}

/** The backbone features followed by the measures (as a model's heads and caches take them). */
export function withMeasures(f: Pick<ImageFeatures, 'features' | 'unseenNoise'>, measures: readonly Measure[]): Float32Array {
  if (measures.length === 0) return f.features;
  const out = new Float32Array(f.features.length + measures.length);
  out.set(f.features);
  measures.forEach((m, i) => {
    out[f.features.length + i] = m === 'unseen-noise' ? f.unseenNoise : 0;
  });
  return out;
}

export function tapNodeName(tap: FeatureTap): string {
  return BACKBONE_SCOPE + tap.node;
}

/** Runs the backbone on one input batch and returns [batch, featureLength] pooled features. */
export function pooledFeatures(backbone: GraphModel, input: tf.Tensor4D, taps: readonly FeatureTap[]): tf.Tensor2D {
  const outs = backbone.execute(input, taps.map(tapNodeName)) as tf.Tensor4D[];
  try {
    return tf.tidy(() => {
      const parts: tf.Tensor2D[] = [];
      taps.forEach((tap, i) => {
        const { mean, variance } = tf.moments(outs[i]!, [1, 2]);
        for (const pool of tap.pools) parts.push((pool === 'mean' ? mean : tf.sqrt(tf.add(variance, 1e-6))) as tf.Tensor2D);
      });
      return tf.concat(parts, 1);
    });
  } finally {
    tf.dispose(outs);
  }
}

/** The rows of a [n, dims] tensor as n arrays; the tensor is disposed. */
async function rowsOf(t: tf.Tensor2D): Promise<Float32Array[]> {
  try {
    const all = (await t.data()) as Float32Array;
    const dims = t.shape[1];
    return Array.from({ length: t.shape[0] }, (_, i) => all.slice(i * dims, (i + 1) * dims));
  } finally {
    t.dispose();
  }
}

function pooledRows(backbone: GraphModel, inputs: tf.Tensor4D, taps: readonly FeatureTap[]): Promise<Float32Array[]> {
  return rowsOf(pooledFeatures(backbone, inputs, taps));
}

export interface ImageFeatures {
  readonly features: Float32Array;
  /** The 1:1 patches blended in (empty when the image was seen whole only). */
  readonly patches: readonly PatchBox[];
  /** Noise (luma levels) the full pixels show that the global view hides; 0 when no patches were cut. */
  readonly unseenNoise: number;
  /** Where the time went (ms): shrinking + building the input tensors, and the backbone with its pooling. */
  readonly ms: { readonly resize: number; readonly backbone: number };
}

/** The 'unseen-noise' measure of an image in a mode: 0 unless the mode cuts 1:1 patches from it. */
export function measureUnseenNoise(pixels: Pixels, spec: ResizeSpec): number {
  return spec.detail && wantsPatches(pixels, spec.size, spec.detail) ? unseenNoise(pixels, shrinkForModel(pixels, spec), spec.size) : 0;
}

/**
 * The one feature path: decoded pixels -> pooled features, used by the worker, `leaf score`/`leaf eval`
 * and training alike, so a file gives the same features wherever it is scored. The global view is the
 * image at the mode's size; with a detail spec, large images add 1:1 patches cut from the full pixels.
 */
export async function imageFeatures(backbone: GraphModel, pixels: Pixels, spec: ResizeSpec, taps: readonly FeatureTap[]): Promise<ImageFeatures> {
  const ms = { resize: 0, backbone: 0 };
  let t = performance.now();
  const lap = (stage: keyof typeof ms) => {
    const now = performance.now();
    ms[stage] += now - t;
    t = now;
  };
  const shrunk = shrinkForModel(pixels, spec);
  const view = toModelInput(shrunk, spec);
  lap('resize');
  let global: Float32Array;
  try {
    [global] = (await pooledRows(backbone, view, taps)) as [Float32Array];
  } finally {
    view.dispose();
  }
  lap('backbone');
  const detail = spec.detail;
  if (!detail || !wantsPatches(pixels, spec.size, detail)) return { features: global, patches: [], unseenNoise: 0, ms };
  const boxes = pickPatches(pixels, detail);
  // Measured on the view already shrunk for the backbone (what measureUnseenNoise would shrink again).
  const noise = unseenNoise(pixels, shrunk, spec.size);
  // One batch for all patches: same shape, one pass through the backbone.
  const batch = tf.tidy(() => tf.concat(boxes.map((b) => toModelInput(cropRgb(pixels, b), { fit: 'square', size: b.size }))) as tf.Tensor4D);
  lap('resize');
  try {
    const features = blendFeatures(global, await pooledRows(backbone, batch, taps), detail.weight);
    lap('backbone');
    return { features, patches: boxes, unseenNoise: noise, ms };
  } finally {
    batch.dispose();
  }
}

/** A grid over the image: `rows` x `cols` cells of about equal size. */
export interface Grid {
  readonly rows: number;
  readonly cols: number;
}

/** Cells along the long side; the short side gets as many as keeps cells about square (at least 2). */
export function gridFor(width: number, height: number, longSide = 4): Grid {
  const short = Math.max(2, Math.round((longSide * Math.min(width, height)) / Math.max(width, height)));
  return width >= height ? { rows: short, cols: longSide } : { rows: longSide, cols: short };
}

/**
 * Pooled features of each grid cell (row-major): every tap's activations cut along the same proportional
 * cell boundaries and pooled as the whole image is. Applying a head to them says where an image loses quality.
 */
export async function cellPooledFeatures(backbone: GraphModel, input: tf.Tensor4D, taps: readonly FeatureTap[], grid: Grid): Promise<Float32Array[]> {
  const outs = backbone.execute(input, taps.map(tapNodeName)) as tf.Tensor4D[];
  try {
    return await rowsOf(tf.tidy(() => {
      const cells: tf.Tensor1D[] = [];
      for (let r = 0; r < grid.rows; r++) {
        for (let c = 0; c < grid.cols; c++) {
          const parts: tf.Tensor1D[] = [];
          taps.forEach((tap, i) => {
            const [, h, w] = outs[i]!.shape;
            const [y0, y1] = [Math.floor((r * h) / grid.rows), Math.max(Math.floor((r * h) / grid.rows) + 1, Math.floor(((r + 1) * h) / grid.rows))];
            const [x0, x1] = [Math.floor((c * w) / grid.cols), Math.max(Math.floor((c * w) / grid.cols) + 1, Math.floor(((c + 1) * w) / grid.cols))];
            const cell = tf.slice(outs[i]!, [0, y0, x0, 0], [1, y1 - y0, x1 - x0, tap.channels]);
            const { mean, variance } = tf.moments(cell, [0, 1, 2]);
            for (const pool of tap.pools) parts.push((pool === 'mean' ? mean : tf.sqrt(tf.add(variance, 1e-6))) as tf.Tensor1D);
          });
          cells.push(tf.concat(parts) as tf.Tensor1D);
        }
      }
      return tf.stack(cells) as tf.Tensor2D;
    }));
  } finally {
    tf.dispose(outs);
  }
}
