import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOP_WEIGHT_NAMES, TRUNK_CHANNELS } from '../model/top-blocks.ts';
import { topWeightShape } from '../model/top-blocks.test-shapes.ts';
import { type FineTuneRows, type FineTuneState, fineTuneTop } from './fine-tune-top.ts';
import { mulberry32 } from './random.ts';
import type { PairTarget, PointTarget } from './train-head.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

// A small problem with the real top's shapes: 2x2 trunk grids, scores that depend on the trunk input.
function problem() {
  const rand = mulberry32(11);
  const n = 16;
  const grid = 2;
  const frozenDims = 8;
  const trunks = Array.from({ length: n }, () => new Float32Array(grid * grid * TRUNK_CHANNELS).map(() => rand() * 2));
  const frozen = Array.from({ length: n }, () => new Float32Array(frozenDims).map(() => rand()));
  const rows: FineTuneRows = { count: n, grid, frozenDims, trunk: (r) => trunks[r]!, frozen: (r) => frozen[r]! };
  const truth = trunks.map((t) => 3 + (t[0]! - t[1]!));
  const points: PointTarget[] = truth.map((score, row) => ({ row, score, probs: [0.2, 0.2, 0.2, 0.2, 0.2], weight: 1 }));
  const pairs: PairTarget[] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b += 3) pairs.push({ a, b, pAB: truth[a]! > truth[b]! ? 0.9 : 0.1, weight: 1 });
  const dims = frozenDims + 2 * 224 + 2 * 1792;
  const head = { kind: 'scalar' as const, mean: new Float32Array(dims), std: new Float32Array(dims).fill(1), weights: new Float32Array(dims), bias: new Float32Array([3]) };
  const params = new Map(TOP_WEIGHT_NAMES.map((name) => {
    const shape = topWeightShape(name);
    const fanIn = shape.length === 2 ? shape[0]! : 9;
    return [name, tf.tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => (rand() * 2 - 1) / Math.sqrt(fanIn)), shape)] as const;
  }));
  const headWeights = new Float32Array(dims).map(() => (rand() * 2 - 1) * 1e-3);
  return { rows, points, pairs, head, start: { step: 0, params, headWeights, headBias: 3 } as FineTuneState };
}

const dispose = (s: FineTuneState) => tf.dispose([...s.params.values(), ...(s.optimizer?.values() ?? [])]);

describe('fineTuneTop (joint distillation through the top blocks)', () => {
  it('lowers the joint loss, leaks no tensors, and a resumed run ends exactly where an uninterrupted one does', async () => {
    const p = problem();
    const common = { rows: p.rows, points: p.points, pairs: p.pairs, head: p.head, pairsPerStep: 40, pointsPerStep: 16, learningRate: 3e-4, headLearningRate: 1e-3, seed: 3 };
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    const whole = await fineTuneTop({ ...common, start: p.start, steps: 12, onStep: (_s, loss) => void losses.push(loss) });
    expect(tf.memory().numTensors).toBe(before + whole.params.size + whole.optimizer!.size);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-4))).toBeLessThan(mean(losses.slice(0, 4)));

    let midway: FineTuneState | undefined;
    const first = await fineTuneTop({ ...common, start: p.start, steps: 6, onStep: async (step, _l, state) => { if (step === 6) midway = await state(); } });
    const resumed = await fineTuneTop({ ...common, start: midway!, steps: 12 });
    expect(resumed.step).toBe(12);
    for (const name of TOP_WEIGHT_NAMES) {
      const a = whole.params.get(name)!.dataSync();
      const b = resumed.params.get(name)!.dataSync();
      let maxDiff = 0;
      for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
      expect(maxDiff, name).toBeLessThan(1e-6);
    }
    expect(Array.from(resumed.headWeights)).toEqual(Array.from(whole.headWeights));
    for (const s of [whole, first, midway!, resumed]) dispose(s);
    tf.dispose([...p.start.params.values()]);
    expect(tf.memory().numTensors).toBe(before - p.start.params.size);
  }, 120_000);
});
