// The label-budget protocol of `leaf eval --calibrate K` and the accuracy bench: per repeat, draw K
// labelled images at random, calibrate on them, and measure raw SRCC / PLCC / RMSE of the calibrated
// predictions on all the other images (nothing is refitted on the evaluation images).
import { mulberry32, permutation } from '../distill/random.ts';
import { pearson, srcc } from '../metrics/rank.ts';
import { meanSd, type MeanSd, rmse } from '../metrics/evaluate.ts';
import { type CalibrateOptions, calibrate, predictCalibrated } from './calibrate.ts';

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

export function evaluateLabelBudget(
  items: readonly LabelledPrediction[],
  k: number,
  repeats: number,
  seed: number,
  opts: CalibrateOptions = {},
): LabelBudgetResult {
  if (!(k >= 1 && k <= items.length - 3)) throw new Error(`--calibrate ${k} needs at least ${k + 3} usable labelled images, have ${items.length}`);
  const s: number[] = [];
  const p: number[] = [];
  const e: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const order = permutation(items.length, mulberry32(seed + r * 7919));
    const train = order.slice(0, k).map((i) => items[i]!);
    const test = order.slice(k).map((i) => items[i]!);
    const cal = calibrate(train, opts);
    const pred = test.map((t) => predictCalibrated(cal, t.score, t.z));
    const mos = test.map((t) => t.mos);
    s.push(srcc(pred, mos));
    p.push(pearson(pred, mos));
    e.push(rmse(pred, mos));
  }
  return { k, repeats, srcc: meanSd(s), plcc: meanSd(p), rmse: meanSd(e) };
}
