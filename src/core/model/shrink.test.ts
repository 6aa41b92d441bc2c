import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Pixels, toModelInput } from './preprocess.ts';
import { halve, shrinkForModel } from './shrink.ts';

function noiseImage(width: number, height: number, channels: 3 | 4): Pixels & { data: Uint8Array } {
  const data = new Uint8Array(width * height * channels);
  let seed = 7;
  for (let i = 0; i < data.length; i++) data[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  return { data, width, height, channels };
}

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('shrinkForModel', () => {
  it('halves like avgPool(2, 2, valid): odd edges dropped, alpha dropped', () => {
    const p = noiseImage(7, 5, 4);
    const h = halve(p);
    expect([h.width, h.height, h.channels]).toEqual([3, 2, 3]);
    const ref = tf.tidy(() => tf.avgPool(tf.tensor3d(p.data, [5, 7, 4], 'int32').toFloat().slice([0, 0, 0], [5, 7, 3]).expandDims(0) as tf.Tensor4D, 2, 2, 'valid'));
    const expected = ref.dataSync();
    ref.dispose();
    h.data.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(0.5));
  });

  it('leaves images of at most ~1 MP untouched', () => {
    const rgb = noiseImage(1024, 1024, 3);
    expect(shrinkForModel(rgb, { fit: 'square', size: 224 })).toBe(rgb);
    const rgba = noiseImage(3, 2, 4);
    expect(shrinkForModel(rgba, { fit: 'square', size: 224 })).toBe(rgba);
  });

  it('gives the model the same input as toModelInput would build from the full image', () => {
    const p = noiseImage(1800, 1300, 4);
    for (const spec of [{ fit: 'square', size: 224 }, { fit: 'longest', size: 512 }] as const) {
      const small = shrinkForModel(p, spec);
      expect(small.width * small.height).toBeLessThanOrEqual(1 << 20);
      const before = tf.memory().numTensors;
      const a = toModelInput(p, spec);
      const b = toModelInput(small, spec);
      expect(b.shape).toEqual(a.shape);
      const diff = tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);
      expect(diff).toBeLessThanOrEqual(1.5 / 255);
      tf.dispose([a, b]);
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
