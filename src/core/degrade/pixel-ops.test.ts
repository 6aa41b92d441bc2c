import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../distill/random.ts';
import type { Pixels } from '../model/preprocess.ts';
import { applyPixelDegradation, diskKernel, motionKernel, sensorNoise } from './pixel-ops.ts';

/** A smooth gradient with a sharp vertical edge in the middle. */
function edgeImage(w = 64, h = 48): Pixels & { data: Uint8Array } {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const v = (x < w / 2 ? 40 : 200) + Math.round((y / h) * 20);
    data.set([v, v, v], 3 * (y * w + x));
  }
  return { data, width: w, height: h, channels: 3 };
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
const edgeStep = (p: Pixels, y: number) => p.data[3 * (y * p.width + p.width / 2)]! - p.data[3 * (y * p.width + p.width / 2 - 1)]!;

describe('pixel degradations', () => {
  it('kernels are normalised and the right size', () => {
    expect(sum(diskKernel(3).w)).toBeCloseTo(1, 5);
    expect(Math.max(...diskKernel(3).dx)).toBe(3);
    const m = motionKernel(9, 0);
    expect(sum(m.w)).toBeCloseTo(1, 5);
    expect(Math.max(...m.dx) - Math.min(...m.dx)).toBeGreaterThanOrEqual(9);
    expect(Math.max(...m.dy.map(Math.abs))).toBe(0);
  });

  it('blurs soften a sharp edge and keep flat regions', () => {
    const img = edgeImage();
    for (const d of [
      { kind: 'gaussian-blur', sigma: 2 },
      { kind: 'defocus', radius: 3 },
      { kind: 'motion', length: 9, angle: 0 },
    ] as const) {
      const out = applyPixelDegradation(img, d, mulberry32(1));
      expect([out.width, out.height]).toEqual([img.width, img.height]);
      expect(edgeStep(out, 20), d.kind).toBeLessThan(edgeStep(img, 20) / 2);
      expect(out.data[3 * (20 * img.width + 2)], d.kind).toBe(img.data[3 * (20 * img.width + 2)]);
    }
  });

  it('sensor noise is stronger in the shadows than in the highlights (in 8-bit levels)', () => {
    const w = 200;
    const data = new Uint8Array(w * 2 * 3);
    data.fill(20, 0, w * 3); // a dark row
    data.fill(230, w * 3); // a bright row
    const out = sensorNoise({ data, width: w, height: 2, channels: 3 }, 0.005, 0.004, mulberry32(3));
    const sd = (from: number, to: number, v: number) => Math.sqrt(sum(Array.from(out.data.subarray(from, to), (x) => (x - v) ** 2)) / (to - from));
    expect(sd(0, w * 3, 20)).toBeGreaterThan(sd(w * 3, w * 6, 230));
    expect(sd(w * 3, w * 6, 230)).toBeGreaterThan(1);
  });

  it('exposure, contrast and colour cast move levels the expected way', () => {
    const img = edgeImage();
    const mean = (p: Pixels, c = -1) => sum(Array.from(p.data).filter((_, i) => c < 0 || i % 3 === c)) / (c < 0 ? p.data.length : p.data.length / 3);
    expect(mean(applyPixelDegradation(img, { kind: 'exposure', ev: -1.5 }, mulberry32(1)))).toBeLessThan(mean(img) - 20);
    expect(mean(applyPixelDegradation(img, { kind: 'exposure', ev: 1.5 }, mulberry32(1)))).toBeGreaterThan(mean(img) + 20);
    const flat = applyPixelDegradation(img, { kind: 'contrast', factor: 0.4 }, mulberry32(1));
    expect(Math.abs(edgeStep(flat, 10))).toBeLessThan(Math.abs(edgeStep(img, 10)) * 0.5);
    const cast = applyPixelDegradation(img, { kind: 'colour-cast', gains: [1.4, 1, 0.7] }, mulberry32(1));
    expect(mean(cast, 0)).toBeGreaterThan(mean(cast, 1));
    expect(mean(cast, 2)).toBeLessThan(mean(cast, 1));
  });

  it('refuses codec steps (they need an encoder) and non-RGB input', () => {
    expect(() => applyPixelDegradation(edgeImage(), { kind: 'jpeg', quality: 10 }, mulberry32(1))).toThrow(/encoder/);
    const rgba: Pixels = { data: new Uint8Array(16), width: 2, height: 2, channels: 4 };
    expect(() => applyPixelDegradation(rgba, { kind: 'contrast', factor: 0.5 }, mulberry32(1))).toThrow(/RGB/);
  });
});
