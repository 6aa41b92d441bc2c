import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyHead } from '../model/head.ts';
import { srcc } from '../metrics/rank.ts';
import { mulberry32 } from './random.ts';
import { type PairTarget, type PointTarget, trainHead } from './train-head.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

function problem(n: number, dims: number) {
  const rand = mulberry32(9);
  const features = new Float32Array(n * dims).map(() => rand() * 2 - 1);
  const truth = Array.from({ length: n }, (_, i) => 3 + features[i * dims]! - 0.5 * features[i * dims + 1]!);
  return { features, truth };
}

describe('trainHead (joint distillation)', () => {
  it('learns a teacher ranking from points alone and from pairs alone, without leaking tensors', async () => {
    const n = 200;
    const dims = 6;
    const { features, truth } = problem(n, dims);
    const points: PointTarget[] = truth.map((s, row) => ({ row, probs: [0.2, 0.2, 0.2, 0.2, 0.2], score: s, weight: 1 }));
    const rand = mulberry32(4);
    const pairs: PairTarget[] = Array.from({ length: 2000 }, () => {
      const a = Math.floor(rand() * n);
      const b = Math.floor(rand() * n);
      return { a, b, pAB: truth[a]! > truth[b]! ? 0.9 : 0.1, weight: 1 };
    });
    const before = tf.memory().numTensors;
    const fromPoints = await trainHead({ kind: 'scalar', features, rows: n, dims, points, pairs: [], l2: 1e-4, steps: 150 });
    const fromPairs = await trainHead({ kind: 'scalar', features, rows: n, dims, points, pairs, pointWeight: 0, l2: 1e-4, steps: 150 });
    expect(tf.memory().numTensors).toBe(before);
    for (const head of [fromPoints, fromPairs]) {
      const pred = Array.from({ length: n }, (_, i) => applyHead(head, features.subarray(i * dims, (i + 1) * dims)).score);
      expect(srcc(pred, truth)).toBeGreaterThan(0.95);
    }
  });
});
