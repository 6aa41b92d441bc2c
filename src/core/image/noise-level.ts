// Sensor noise measured on the pixels, not guessed by the model. Immerkaer's estimator ("Fast noise
// variance estimation", 1996): the image convolved with the difference of two Laplacians cancels smooth
// content and leaves noise; sigma = sqrt(pi/2) / 6 * mean |response|. Texture leaks into it too, so it is
// taken per block and the flattest blocks decide: in a photo the smooth areas (sky, skin, walls) are where
// noise shows, and there the estimate is the noise itself.
import type { Pixels } from '../model/preprocess.ts';
import { halve } from '../model/shrink.ts';

/** Block side in pixels. */
export const NOISE_BLOCK = 32;
/** The estimate is this quantile of the per-block sigmas (the flattest tenth of the image). */
export const NOISE_QUANTILE = 0.1;
/** At most this many blocks are measured (a grid spread evenly over the image): ~1 M pixels. */
export const NOISE_MAX_BLOCKS = 1024;

const SQRT_HALF_PI = Math.sqrt(Math.PI / 2);

/**
 * Noise standard deviation in luma levels (0-255) of the flattest blocks; 0 for an image too small to hold
 * one block.
 */
export function noiseLevel(p: Pixels): number {
  const { width: W, height: H, channels: c, data } = p;
  const b = NOISE_BLOCK;
  const cols = Math.floor((W - 2) / b);
  const rows = Math.floor((H - 2) / b);
  if (cols < 1 || rows < 1) return 0;
  // An even subsample of the block grid when there are more blocks than needed.
  const stride = Math.max(1, Math.ceil(Math.sqrt((cols * rows) / NOISE_MAX_BLOCKS)));
  const luma = new Float32Array((b + 2) * (b + 2));
  const sigmas: number[] = [];
  for (let r = 0; r < rows; r += stride) {
    for (let q = 0; q < cols; q += stride) {
      const x0 = 1 + q * b;
      const y0 = 1 + r * b;
      // The block with a one-pixel border, as luma.
      for (let y = -1; y <= b; y++) {
        let at = ((y0 + y) * W + x0 - 1) * c;
        const row = (y + 1) * (b + 2);
        for (let x = 0; x < b + 2; x++, at += c) luma[row + x] = 0.299 * data[at]! + 0.587 * data[at + 1]! + 0.114 * data[at + 2]!;
      }
      let sum = 0;
      const w = b + 2;
      for (let y = 1; y <= b; y++) {
        for (let x = 1; x <= b; x++) {
          const i = y * w + x;
          sum += Math.abs(
            luma[i - w - 1]! - 2 * luma[i - w]! + luma[i - w + 1]! - 2 * luma[i - 1]! + 4 * luma[i]! - 2 * luma[i + 1]! + luma[i + w - 1]! - 2 * luma[i + w]! + luma[i + w + 1]!,
          );
        }
      }
      sigmas.push((SQRT_HALF_PI * sum) / (6 * b * b));
    }
  }
  sigmas.sort((x, y) => x - y);
  return sigmas[Math.min(sigmas.length - 1, Math.floor(sigmas.length * NOISE_QUANTILE))]!;
}

/**
 * Noise a large image shows at 1:1 that its global view hides: the noise level of the full pixels minus that
 * of the view (the image halved until its longest side is under twice the view's size, as the model's own
 * input is made), floored at 0. `view` may be any halving of `full` already made (the shrunk model input).
 */
export function unseenNoise(full: Pixels, view: Pixels, viewSize: number): number {
  let v = view;
  while (Math.max(v.width, v.height) >= 2 * viewSize) v = halve(v);
  return Math.max(0, noiseLevel(full) - noiseLevel(v));
}
