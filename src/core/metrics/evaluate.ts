// IQA figures of merit, computed one way everywhere (CLI eval, benches, the app's calibration panel).
import { evalLogistic4, fitLogistic4 } from './logistic.ts';
import { krcc, pearson, srcc } from './rank.ts';

export interface Correlations {
  readonly srcc: number;
  readonly krcc: number;
  /** PLCC after the VQEG 4-parameter logistic mapping of predictions onto the labels. */
  readonly plcc: number;
  /** RMSE after the same mapping, in label units. */
  readonly rmse: number;
}

export function correlations(pred: readonly number[], mos: readonly number[]): Correlations {
  const fit = fitLogistic4(pred, mos);
  const mapped = pred.map((p) => evalLogistic4(fit, p));
  return { srcc: srcc(pred, mos), krcc: krcc(pred, mos), plcc: pearson(mapped, mos), rmse: rmse(mapped, mos) };
}

export function rmse(pred: ArrayLike<number>, mos: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += (pred[i]! - mos[i]!) ** 2;
  return Math.sqrt(s / pred.length);
}

export interface MeanSd {
  readonly mean: number;
  readonly sd: number;
}

export function meanSd(values: readonly number[]): MeanSd {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd };
}

/** Median of a sample (mean of the middle two for an even count); NaN for none. Benches report medians. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
