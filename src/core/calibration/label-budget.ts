// The label-budget protocol of `leaf eval --calibrate K` and the accuracy bench: per repeat, draw K
// labelled images at random, calibrate on them, and measure raw SRCC / PLCC / RMSE of the calibrated
// predictions on all the other images (nothing is refitted on the evaluation images).
import { mulberry32, permutation } from '../distill/random.ts';
import { pearson, srcc } from '../metrics/rank.ts';
import { meanSd, type MeanSd, rmse } from '../metrics/evaluate.ts';
import { type CalibrateOptions, fitCalibration, predictCalibrated } from './calibrate.ts';

export interface LabelledPrediction {
  readonly score: number;
  readonly z?: ArrayLike<number>;
  readonly mos: number;
}

export interface LabelBudgetResult {
  readonly k: number;
  readonly repeats: number;
  readonly srcc: MeanSd;
  readonly plcc: MeanSd;
  readonly rmse: MeanSd;
}

/** Calibrates on `labelled` and measures raw SRCC / PLCC / RMSE of its predictions on `test`. */
export function calibrateAndMeasure(labelled: readonly LabelledPrediction[], test: readonly LabelledPrediction[], opts: CalibrateOptions = {}) {
  const cal = fitCalibration(labelled, opts);
  const pred = test.map((t) => predictCalibrated(cal, t.score, t.z));
  const mos = test.map((t) => t.mos);
  return { srcc: srcc(pred, mos), plcc: pearson(pred, mos), rmse: rmse(pred, mos) };
}

function summarise(k: number, runs: { srcc: number; plcc: number; rmse: number }[]): LabelBudgetResult {
  return { k, repeats: runs.length, srcc: meanSd(runs.map((r) => r.srcc)), plcc: meanSd(runs.map((r) => r.plcc)), rmse: meanSd(runs.map((r) => r.rmse)) };
}

/** K labels drawn from all items per repeat; measured on the items not drawn. */
export function evaluateLabelBudget(
  items: readonly LabelledPrediction[],
  k: number,
  repeats: number,
  seed: number,
  opts: CalibrateOptions = {},
): LabelBudgetResult {
  if (!(k >= 1 && k <= items.length - 3)) throw new Error(`--calibrate ${k} needs at least ${k + 3} usable labelled images, have ${items.length}`);
  const runs = [];
  for (let r = 0; r < repeats; r++) {
    const order = permutation(items.length, mulberry32(seed + r * 7919));
    runs.push(calibrateAndMeasure(order.slice(0, k).map((i) => items[i]!), order.slice(k).map((i) => items[i]!), opts));
  }
  return summarise(k, runs);
}

/** K labels drawn from `pool` per repeat; always measured on the fixed `test` set (a validation split). */
export function evaluateLabelBudgetOnSplit(
  pool: readonly LabelledPrediction[],
  test: readonly LabelledPrediction[],
  k: number,
  repeats: number,
  seed: number,
  opts: CalibrateOptions = {},
): LabelBudgetResult {
  if (!(k >= 1 && k <= pool.length)) throw new Error(`cannot draw ${k} labels from a pool of ${pool.length}`);
  const runs = [];
  for (let r = 0; r < repeats; r++) {
    const order = permutation(pool.length, mulberry32(seed + r * 7919));
    runs.push(calibrateAndMeasure(order.slice(0, k).map((i) => pool[i]!), test, opts));
  }
  return summarise(k, runs);
}
