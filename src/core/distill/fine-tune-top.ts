// Joint distillation through the backbone's top blocks: the same LEAF loss as the head trainer
// (reliability-weighted point-wise squared error on the teacher score + pair-wise cross-entropy on
// P(a>b)), but the gradient also reaches expanded_conv_14..16 and Conv_1, fed from cached trunk
// activations. The frozen lower taps' pooled features ride along unchanged, so the student keeps the
// same feature layout and the same scalar head form.
import * as tf from '@tensorflow/tfjs-core';
import type { LinearHead } from '../model/head.ts';
import { TRUNK_CHANNELS, type TopParams, topForward } from '../model/top-blocks.ts';
import { mulberry32 } from './random.ts';
import type { PairTarget, PointTarget } from './train-head.ts';

/** Where the trainer reads its rows: the cached trunk activation and the frozen taps' features of row i. */
export interface FineTuneRows {
  readonly count: number;
  readonly grid: number;
  readonly frozenDims: number;
  trunk(row: number): Float32Array;
  frozen(row: number): Float32Array;
}

export interface FineTuneState {
  readonly step: number;
  readonly params: ReadonlyMap<string, tf.Tensor>;
  readonly headWeights: Float32Array;
  readonly headBias: number;
  /** Adam's step count and moments ('top/<i>', 'head/<i>' in the optimisers' own order), so a resumed run continues exactly. */
  readonly optimizer?: ReadonlyMap<string, tf.Tensor>;
}

export interface FineTuneOptions {
  readonly rows: FineTuneRows;
  readonly points: readonly PointTarget[];
  readonly pairs: readonly PairTarget[];
  /** Head the run starts from (trained on the frozen backbone); its standardisation stays fixed. */
  readonly head: LinearHead;
  readonly start: FineTuneState;
  readonly steps: number;
  readonly pairsPerStep?: number;
  readonly pointsPerStep?: number;
  readonly learningRate?: number;
  readonly headLearningRate?: number;
  readonly l2?: number;
  readonly temperature?: number;
  readonly seed?: number;
  /** Called after every step; return a promise to checkpoint or validate (training waits for it). */
  readonly onStep?: (step: number, loss: number, state: () => Promise<FineTuneState>) => void | Promise<void>;
}

/** Pooled features of rows run through the top: [frozen | mean, std of block 15 | mean, std of Conv_1]. */
export function topFeatures(params: TopParams, trunk: tf.Tensor4D, frozen: tf.Tensor2D): tf.Tensor2D {
  const out = topForward(params, trunk);
  const pool = (x: tf.Tensor4D) => {
    const { mean, variance } = tf.moments(x, [1, 2]);
    return [mean, tf.sqrt(tf.add(variance, 1e-6))];
  };
  return tf.concat([frozen, ...pool(out.block15), ...pool(out.conv1)], 1) as tf.Tensor2D;
}

export function batchTensors(rows: FineTuneRows, ids: readonly number[]): { trunk: tf.Tensor4D; frozen: tf.Tensor2D } {
  const g = rows.grid;
  const t = new Float32Array(ids.length * g * g * TRUNK_CHANNELS);
  const f = new Float32Array(ids.length * rows.frozenDims);
  ids.forEach((r, i) => {
    t.set(rows.trunk(r), i * g * g * TRUNK_CHANNELS);
    f.set(rows.frozen(r), i * rows.frozenDims);
  });
  return { trunk: tf.tensor4d(t, [ids.length, g, g, TRUNK_CHANNELS]), frozen: tf.tensor2d(f, [ids.length, rows.frozenDims]) };
}

/**
 * Pooled features of every row through `params`, a batch at a time; `emit` receives a row's features as a
 * view that is valid only during the call.
 */
export function forEachTopFeatureRow(params: TopParams, rows: FineTuneRows, emit: (row: number, features: Float32Array) => void, batchSize = 64): void {
  for (let i = 0; i < rows.count; i += batchSize) {
    const ids = Array.from({ length: Math.min(batchSize, rows.count - i) }, (_, k) => i + k);
    const { trunk, frozen } = batchTensors(rows, ids);
    const feats = tf.tidy(() => topFeatures(params, trunk, frozen));
    const data = feats.dataSync() as Float32Array;
    const dims = feats.shape[1];
    ids.forEach((row, k) => emit(row, data.subarray(k * dims, (k + 1) * dims)));
    tf.dispose([trunk, frozen, feats]);
  }
}

/** Raw (unsquashed) scalar scores of rows under the given top parameters and head. */
export function rawScores(params: TopParams, head: { mean: tf.Tensor1D; std: tf.Tensor1D; w: tf.Tensor; b: tf.Tensor }, trunk: tf.Tensor4D, frozen: tf.Tensor2D): tf.Tensor1D {
  const z = tf.div(tf.sub(topFeatures(params, trunk, frozen), head.mean), head.std) as tf.Tensor2D;
  return tf.add(tf.matMul(z, head.w as tf.Tensor2D), head.b).reshape([-1]) as tf.Tensor1D;
}

export async function fineTuneTop(o: FineTuneOptions): Promise<FineTuneState> {
  const pairsPerStep = o.pairsPerStep ?? 12;
  const pointsPerStep = o.pointsPerStep ?? 8;
  const temperature = o.temperature ?? 0.5;
  const l2 = o.l2 ?? 3;
  const dims = o.head.mean.length;
  const names = [...o.start.params.keys()];
  // Inside tidy the initial values are freed; variables survive tidy and are disposed below.
  const topVars = tf.tidy(() => names.map((n) => tf.variable(o.start.params.get(n)!.clone(), true)));
  const params = new Map(names.map((n, i) => [n, topVars[i]! as tf.Tensor]));
  const w = tf.tidy(() => tf.variable(tf.tensor2d(o.start.headWeights, [dims, 1]), true));
  const b = tf.tidy(() => tf.variable(tf.scalar(o.start.headBias), true));
  const mean = tf.tensor1d(o.head.mean);
  const std = tf.tensor1d(o.head.std);
  // Adam moves every weight by about its learning rate per step, whatever the gradient's size. The ridge-
  // trained head's weights are ~1e-3, so it needs a tiny rate (1e-3 scrambled it within 50 steps and
  // validation SRCC fell); the top's weights are larger and move a little faster.
  const topOpt = tf.train.adam(o.learningRate ?? 2e-5);
  const headOpt = tf.train.adam(o.headLearningRate ?? 1e-5);
  if (o.start.optimizer) {
    await restoreOptimizer(topOpt, o.start.optimizer, 'top');
    await restoreOptimizer(headOpt, o.start.optimizer, 'head');
  }
  const snapshot = async (step: number): Promise<FineTuneState> => {
    const optimizer = new Map<string, tf.Tensor>();
    for (const [prefix, opt] of [['top', topOpt], ['head', headOpt]] as const) {
      // Before the first step Adam has no moments yet; getWeights then holds only the step count.
      // The step count comes back as a fresh scalar (kept as is); the moments are the optimiser's own variables (cloned).
      (await opt.getWeights()).forEach((w, i) => optimizer.set(`${prefix}/${i}`, i === 0 ? w.tensor : w.tensor.clone()));
    }
    return {
      step,
      params: new Map(names.map((n, i) => [n, topVars[i]!.clone()])),
      headWeights: w.dataSync() as Float32Array,
      headBias: b.dataSync()[0]!,
      optimizer,
    };
  };
  try {
    for (let step = o.start.step; step < o.steps; step++) {
      // Seeded per step, so a resumed run draws the same batches it would have drawn.
      const batch = drawBatch(o.points, o.pairs, pairsPerStep, pointsPerStep, mulberry32((o.seed ?? 1) * 100003 + step));
      const { trunk, frozen } = batchTensors(o.rows, batch.rows);
      const consts = tf.tidy(() => ({
        pairSel: tf.tensor2d(batch.pairSel, [batch.pairs.length, batch.rows.length]),
        pairP: tf.tensor1d(batch.pairs.map((p) => p.pAB)),
        pairW: tf.tensor1d(batch.pairs.map((p) => p.weight)),
        pointSel: tf.tensor2d(batch.pointSel, [batch.points.length, batch.rows.length]),
        pointScore: tf.tensor1d(batch.points.map((p) => p.score)),
        pointW: tf.tensor1d(batch.points.map((p) => p.weight)),
      }));
      const pairWSum = batch.pairs.reduce((s, p) => s + p.weight, 0) || 1;
      const pointWSum = batch.points.reduce((s, p) => s + p.weight, 0) || 1;
      const { value, grads } = tf.variableGrads(() => {
        const s = rawScores(params, { mean, std, w, b }, trunk, frozen).reshape([-1, 1]);
        // Same ridge on the head as the head-only trainer, so the starting head is already at its optimum.
        let total = tf.mul(l2, tf.sum(tf.square(w))) as tf.Scalar;
        if (batch.points.length) {
          const err = tf.sub(tf.matMul(consts.pointSel, s).reshape([-1]), consts.pointScore);
          total = tf.add(total, tf.div(tf.sum(tf.mul(tf.square(err), consts.pointW)), pointWSum));
        }
        if (batch.pairs.length) {
          const diff = tf.div(tf.matMul(consts.pairSel, s).reshape([-1]), temperature);
          const bce = tf.sub(tf.add(tf.relu(diff), tf.log1p(tf.exp(tf.neg(tf.abs(diff))))), tf.mul(diff, consts.pairP));
          total = tf.add(total, tf.div(tf.sum(tf.mul(bce, consts.pairW)), pairWSum));
        }
        return total;
      });
      topOpt.applyGradients(topVars.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
      headOpt.applyGradients([w, b].map((v) => ({ name: v.name, tensor: grads[v.name]! })));
      const loss = (await value.data())[0]!;
      tf.dispose([value, ...Object.values(grads), trunk, frozen, ...Object.values(consts)]);
      await o.onStep?.(step + 1, loss, () => snapshot(step + 1));
    }
    return await snapshot(Math.max(o.steps, o.start.step));
  } finally {
    tf.dispose([...topVars, w, b, mean, std]);
    topOpt.dispose();
    headOpt.dispose();
  }
}

interface Batch {
  rows: number[];
  pairs: PairTarget[];
  points: PointTarget[];
  pairSel: Float32Array;
  pointSel: Float32Array;
}

/** A step's targets and the distinct rows they touch, with +1/-1 pair and one-hot point selectors over those rows. */
export function drawBatch(points: readonly PointTarget[], pairs: readonly PairTarget[], nPairs: number, nPoints: number, rand: () => number): Batch {
  const pick = <T>(xs: readonly T[], n: number) => (xs.length ? Array.from({ length: Math.min(n, xs.length) }, () => xs[Math.floor(rand() * xs.length)]!) : []);
  const chosenPairs = pick(pairs, nPairs);
  const chosenPoints = pick(points, nPoints);
  const index = new Map<number, number>();
  const slot = (r: number) => {
    if (!index.has(r)) index.set(r, index.size);
    return index.get(r)!;
  };
  const pairSlots = chosenPairs.map((p) => [slot(p.a), slot(p.b)] as const);
  const pointSlots = chosenPoints.map((p) => slot(p.row));
  const n = index.size;
  const pairSel = new Float32Array(chosenPairs.length * n);
  pairSlots.forEach(([a, b], i) => {
    pairSel[i * n + a] = 1;
    pairSel[i * n + b] = -1;
  });
  const pointSel = new Float32Array(chosenPoints.length * n);
  pointSlots.forEach((s, i) => (pointSel[i * n + s] = 1));
  return { rows: [...index.keys()], pairs: chosenPairs, points: chosenPoints, pairSel, pointSel };
}

async function restoreOptimizer(opt: tf.AdamOptimizer, saved: ReadonlyMap<string, tf.Tensor>, prefix: string): Promise<void> {
  const weights: { name: string; tensor: tf.Tensor }[] = [];
  for (let i = 0; saved.has(`${prefix}/${i}`); i++) weights.push({ name: `${prefix}/${i}`, tensor: saved.get(`${prefix}/${i}`)! });
  if (weights.length > 1) await opt.setWeights(weights);
}
