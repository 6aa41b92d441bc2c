// Turns decoded RGB pixels into the backbone's input tensor. Browser, worker and CLI all call this one
// function so training features and deployed features are computed identically (PLATFORM.md: a resize
// mismatch between training and deployment cost up to 0.03 SRCC).
import * as tf from '@tensorflow/tfjs-core';
import type { DetailSpec } from './detail-patches.ts';
import { modelInputView } from './input-pixels.ts';
import type { ScoreMode } from './score-mode.ts';

/** Decoders downscale anything larger than this (longest side) before it reaches the model. */
export const MAX_DECODE_SIDE = 4096;


/** How a mode sizes the image: `square` resizes to size x size; `longest` keeps aspect, longest side = size. */
export interface ResizeSpec {
  readonly fit: 'square' | 'longest';
  readonly size: number;
  /** Also look at 1:1 patches of images much larger than the view (src/core/model/detail-patches.ts). */
  readonly detail?: DetailSpec;
}

/** The Detail setting: 4 patches of 256 px at 1:1 share the features half and half with the 512 px view. */
export const DEFAULT_DETAIL: DetailSpec = { count: 4, size: 256, weight: 0.5, minScale: 2 };

export const RESIZE_BY_MODE: Readonly<Record<ScoreMode, ResizeSpec>> = {
  fast: { fit: 'square', size: 224 },
  accurate: { fit: 'longest', size: 512, detail: DEFAULT_DETAIL },
};

/** Decoded image: tightly packed RGB or RGBA bytes, row-major. */
export interface Pixels {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}

export function targetSize(width: number, height: number, spec: ResizeSpec): [number, number] {
  if (spec.fit === 'square') return [spec.size, spec.size];
  const scale = spec.size / Math.max(width, height);
  return [Math.max(32, Math.round(height * scale)), Math.max(32, Math.round(width * scale))];
}

export function checkPixels(p: Pixels): void {
  if (!(p.width > 0 && p.height > 0)) throw new Error(`image has no pixels (${p.width}x${p.height})`);
  if (p.data.length !== p.width * p.height * p.channels) {
    throw new Error(`pixel buffer holds ${p.data.length} bytes, expected ${p.width}x${p.height}x${p.channels}`);
  }
}

/**
 * Pixels -> float32 [1, h, w, 3] in [0, 1] at the mode's size. Large downscales first halve the image
 * with 2x2 average pooling (an area filter, so fine detail is averaged instead of aliased), then finish
 * with one bilinear step; computed in JS (input-pixels.ts) with TF.js's own arithmetic for those two ops,
 * so every backend gets the same values and only the finished view becomes a tensor.
 */
export function toModelInput(p: Pixels, spec: ResizeSpec): tf.Tensor4D {
  checkPixels(p);
  const [th, tw] = targetSize(p.width, p.height, spec);
  const view = modelInputView(p, th, tw);
  return tf.tensor4d(view.data, [1, view.height, view.width, 3]);
}
