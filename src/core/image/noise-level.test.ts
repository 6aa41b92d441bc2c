import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../distill/random.ts';
import type { Pixels } from '../model/preprocess.ts';
import { halve } from '../model/shrink.ts';
import { noiseLevel, unseenNoise } from './noise-level.ts';

/** A grey image: smooth gradients on the left half, fine stripes (texture) on the right, plus gaussian noise of `sigma` levels. */
function scene(width: number, height: number, sigma: number, seed = 1, channels: 3 | 4 = 3): Pixels {
  const rand = mulberry32(seed);
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const base = x < width / 2 ? 60 + (120 * y) / height : 128 + 40 * Math.sin(x * 1.7);
      const z = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
      const v = Math.max(0, Math.min(255, Math.round(base + sigma * z)));
      const at = (y * width + x) * channels;
      data.fill(v, at, at + 3);
      if (channels === 4) data[at + 3] = 255;
    }
  }
  return { data, width, height, channels };
}

describe('noiseLevel', () => {
  it('reads the sigma of gaussian noise in the flat parts, not the texture', () => {
    // Within 10%: the flattest tenth of the blocks reads a little low (their own estimates scatter).
    for (const sigma of [2, 5, 10]) expect(Math.abs(noiseLevel(scene(512, 384, sigma)) - sigma) / sigma).toBeLessThan(0.1);
    // Without noise the striped half alone would read as strong "noise"; the flattest blocks say ~0.
    expect(noiseLevel(scene(512, 384, 0))).toBeLessThan(0.5);
  });

  it('is the same with an alpha channel, and 0 for an image too small for one block', () => {
    expect(noiseLevel(scene(256, 256, 4, 3, 4))).toBeCloseTo(noiseLevel(scene(256, 256, 4, 3, 3)), 6);
    expect(noiseLevel(scene(20, 20, 8))).toBe(0);
  });

  it('samples a large image evenly instead of reading every block', () => {
    const big = scene(3000, 2000, 3);
    expect(noiseLevel(big)).toBeCloseTo(3, 0);
  });
});

describe('unseenNoise', () => {
  it('is the noise a large image shows at 1:1 that its halved view averages away', () => {
    const noisy = scene(2400, 1600, 4);
    const u = unseenNoise(noisy, noisy, 512);
    // The view is the image halved twice (600 x 400): each halving averages 4 pixels, halving the noise.
    expect(u).toBeGreaterThan(2.5);
    expect(u).toBeLessThan(4);
    // Passing an already halved view (as the model's shrunk input is) gives the same answer.
    expect(unseenNoise(noisy, halve(noisy), 512)).toBeCloseTo(u, 9);
  });

  it('is 0 for a clean image, and never negative', () => {
    expect(unseenNoise(scene(2400, 1600, 0), scene(2400, 1600, 0), 512)).toBeLessThan(0.3);
    const view = scene(600, 400, 6, 9);
    expect(unseenNoise(scene(2400, 1600, 0), view, 512)).toBe(0);
  });
});
