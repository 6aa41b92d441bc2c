// Joint distillation of the student's linear head on cached backbone features:
//   loss = w_point * point loss + w_pair * pair loss + l2 * |W|^2
// point: reliability-weighted KL(teacher levels || student levels) for a 'levels' head, or weighted squared
//        error on the teacher's score for a 'scalar' head;
// pair:  reliability-weighted cross-entropy between the teacher's preference P(a>b) and
//        sigmoid((s_a - s_b) / temperature) of the student's scores.
// Runs on any TF.js backend (wasm in Node, the worker's backend in the browser).
import * as tf from '@tensorflow/tfjs-core';
import { type HeadKind, type LinearHead, headOutputs } from '../model/head.ts';
import { LEVEL_VALUES } from '../teacher/types.ts';
import { mulberry32 } from './random.ts';
import { featureStats, standardiseRows } from './standardise.ts';

/** Scale of score differences in the pair loss: P(a > b) = sigmoid((s_a - s_b) / temperature). */
export const PAIR_TEMPERATURE = 0.5;

export interface PointTarget {
  readonly row: number;
  readonly probs: readonly number[];
  readonly score: number;
  readonly weight: number;
}

export interface PairTarget {
  readonly a: number;
  readonly b: number;
  readonly pAB: number;
  readonly weight: number;
  /** Where the preference came from (e.g. 'mllm', 'classical', 'synthetic'), for ablations and reports. */
  readonly source?: string;
}

export interface TrainHeadOptions {
  readonly kind: HeadKind;
  readonly features: Float32Array;
  readonly rows: number;
  readonly dims: number;
  readonly points: readonly PointTarget[];
  readonly pairs: readonly PairTarget[];
  readonly pointWeight?: number;
  readonly pairWeight?: number;
  readonly l2?: number;
  readonly steps?: number;
  readonly learningRate?: number;
  readonly pairBatch?: number;
  readonly temperature?: number;
  readonly seed?: number;
  readonly onStep?: (step: number, loss: number) => void;
}

export async function trainHead(o: TrainHeadOptions): Promise<LinearHead> {
  const { mean, std } = featureStats(o.features, o.rows, o.dims);
  const z = standardiseRows(o.features, o.rows, o.dims, mean, std);
  const k = headOutputs(o.kind);
  const steps = o.steps ?? 400;
  const pairBatch = o.pairBatch ?? 1024;
  const temperature = o.temperature ?? PAIR_TEMPERATURE;
  const pointWeight = o.pointWeight ?? 1;
  const pairWeight = o.pairs.length ? (o.pairWeight ?? 1) : 0;
  const l2 = o.l2 ?? 1e-3;
  const rand = mulberry32(o.seed ?? 1);

  const X = tf.tensor2d(z, [o.rows, o.dims]);
  const levelValues = tf.tensor2d(LEVEL_VALUES as unknown as number[], [5, 1]);
  // Gather has no gradient kernel on wasm (UnsortedSegmentSum), so rows are selected outside the tape:
  // point rows are copied once, and pairs pick their scores through a +1/-1 selector matrix.
  const Xp = tf.tidy(() => tf.gather(X, tf.tensor1d(o.points.map((p) => p.row), 'int32')));
  const pointProbs = tf.tensor2d(o.points.map((p) => [...p.probs]), [o.points.length, 5]);
  const pointScore = tf.tensor1d(o.points.map((p) => p.score));
  const pointW = tf.tensor1d(o.points.map((p) => p.weight));
  const pointWSum = o.points.reduce((s, p) => s + p.weight, 0) || 1;
  // Initialise at the mean teacher judgment so early steps learn ranking, not the offset.
  const meanScore = o.points.length ? o.points.reduce((s, p) => s + p.score, 0) / o.points.length : 3;
  // Inside tidy the initial values are freed; variables survive tidy and are disposed below.
  const W = tf.tidy(() => tf.variable(tf.zeros([o.dims, k])));
  const b = tf.tidy(() => tf.variable(o.kind === 'levels' ? tf.tensor1d(meanProbsLogits(o.points)) : tf.tensor1d([meanScore])));
  const optimizer = tf.train.adam(o.learningRate ?? 0.01);

  const scoresOf = (logits: tf.Tensor2D): tf.Tensor1D =>
    (o.kind === 'levels' ? tf.softmax(logits).matMul(levelValues) : logits).reshape([-1]) as tf.Tensor1D;

  try {
    for (let step = 0; step < steps; step++) {
      const batch = samplePairs(o.pairs, pairBatch, rand);
      const selector = tf.tidy(() =>
        batch.length
          ? tf.sub(tf.oneHot(tf.tensor1d(batch.map((p) => p.a), 'int32'), o.rows), tf.oneHot(tf.tensor1d(batch.map((p) => p.b), 'int32'), o.rows)).toFloat()
          : tf.zeros([0, o.rows]),
      );
      const pt = tf.tensor1d(batch.map((p) => p.pAB));
      const pw = tf.tensor1d(batch.map((p) => p.weight));
      const pwSum = batch.reduce((s, p) => s + p.weight, 0) || 1;
      const loss = optimizer.minimize(() => {
        let total = tf.mul(l2, tf.sum(tf.square(W)));
        if (o.points.length && pointWeight > 0) {
          const pl = Xp.matMul(W).add(b) as tf.Tensor2D;
          const perImage =
            o.kind === 'levels'
              ? tf.sum(tf.mul(pointProbs, tf.sub(tf.log(tf.add(pointProbs, 1e-8)), tf.logSoftmax(pl))), 1)
              : tf.square(tf.sub(pl.reshape([-1]), pointScore));
          total = total.add(tf.mul(pointWeight / pointWSum, tf.sum(tf.mul(perImage, pointW))));
        }
        if (batch.length && pairWeight > 0) {
          const s = scoresOf(X.matMul(W).add(b) as tf.Tensor2D);
          const diff = tf.div(selector.matMul(s.reshape([-1, 1])).reshape([-1]), temperature);
          // Binary cross-entropy with logits, written out so it differentiates on every backend.
          const bce = tf.sub(tf.add(tf.relu(diff), tf.log1p(tf.exp(tf.neg(tf.abs(diff))))), tf.mul(diff, pt));
          total = total.add(tf.mul(pairWeight / pwSum, tf.sum(tf.mul(bce, pw))));
        }
        return total as tf.Scalar;
      }, true)!;
      if (o.onStep && (step % 50 === 0 || step === steps - 1)) o.onStep(step, (await loss.data())[0]!);
      tf.dispose([loss, selector, pt, pw]);
    }
    const weights = (await W.data()) as Float32Array;
    const bias = (await b.data()) as Float32Array;
    return { kind: o.kind, mean, std, weights: new Float32Array(weights), bias: new Float32Array(bias) };
  } finally {
    tf.dispose([X, Xp, levelValues, pointProbs, pointScore, pointW, W, b]);
    optimizer.dispose();
  }
}

function meanProbsLogits(points: readonly PointTarget[]): number[] {
  const m = [1e-3, 1e-3, 1e-3, 1e-3, 1e-3];
  for (const p of points) p.probs.forEach((v, i) => (m[i]! += v / points.length));
  return m.map((v) => Math.log(v));
}

function samplePairs(pairs: readonly PairTarget[], n: number, rand: () => number): PairTarget[] {
  if (pairs.length <= n) return pairs as PairTarget[];
  const out: PairTarget[] = [];
  for (let i = 0; i < n; i++) out.push(pairs[Math.floor(rand() * pairs.length)]!);
  return out;
}
