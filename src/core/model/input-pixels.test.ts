import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelInputView } from './input-pixels.ts';
import { type Pixels, targetSize, toModelInput } from './preprocess.ts';
import { modelInputViaTfOps } from './tf-resize-reference.ts';

function noiseImage(width: number, height: number, channels: 3 | 4, seed = 7): Pixels {
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  return { data, width, height, channels };
}

function viaTfOps(p: Pixels, th: number, tw: number): Float32Array {
  const t = modelInputViaTfOps(p, th, tw);
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('modelInputView', () => {
  const cases: [number, number, 3 | 4, number, number][] = [
    [1024, 768, 4, 224, 224], // a BIQ2021 photo in Quick: one halving, then bilinear
    [1800, 1300, 3, 224, 224], // two halvings, odd sides dropped
    [1023, 767, 4, 384, 512], // Detail's longest-side view, odd sides
    [512, 384, 4, 384, 512], // already the view's size: no resize
    [300, 200, 3, 224, 224], // upscaled in one direction, downscaled in the other
    [40, 30, 4, 224, 224], // a tiny image enlarged
    [7, 5, 4, 2, 3], // halving with odd edges then bilinear
  ];
  for (const [w, h, c, th, tw] of cases) {
    it(`equals TF.js's avgPool halvings + resizeBilinear for ${w}x${h}x${c} -> ${tw}x${th}`, () => {
      const p = noiseImage(w, h, c, w * 31 + h);
      const view = modelInputView(p, th, tw);
      expect([view.height, view.width, view.data.length]).toEqual([th, tw, th * tw * 3]);
      const ref = viaTfOps(p, th, tw);
      let worst = 0;
      view.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - ref[i]!))));
      expect(worst).toBeLessThan(1e-6);
    });
  }

  it('toModelInput makes one tensor of the view and leaves none behind', () => {
    const p = noiseImage(1024, 768, 4);
    const before = tf.memory().numTensors;
    const t = toModelInput(p, { fit: 'longest', size: 512 });
    expect(t.shape).toEqual([1, ...targetSize(1024, 768, { fit: 'longest', size: 512 }), 3]);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
