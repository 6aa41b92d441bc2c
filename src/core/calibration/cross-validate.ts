// Cross-validated quality of a calibration over the user's own ratings: each rating is predicted by a head
// fitted without it (leave-one-out up to 60 ratings, 10-fold above), then SRCC / PLCC / RMSE of those
// held-out predictions. Below 3 ratings, or where a correlation is undefined (all ratings or all
// predictions equal), the figure is null: the UI shows "—", never NaN.
import { pearson, srcc } from '../metrics/rank.ts';
import { type CalibrateOptions, type CalibrationSample, fitCalibration, predictCalibrated } from './calibrate.ts';

export interface CrossValidation {
  readonly n: number;
  readonly method: 'loo' | '10-fold' | null;
  readonly srcc: number | null;
  readonly plcc: number | null;
  readonly rmse: number | null;
  /** Held-out prediction of each sample, in input order (empty below 3 samples). */
  readonly heldOut: readonly number[];
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function crossValidate(samples: readonly CalibrationSample[], opts: CalibrateOptions = {}): CrossValidation {
  const n = samples.length;
  if (n < 3) return { n, method: null, srcc: null, plcc: null, rmse: null, heldOut: [] };
  const k = n <= 60 ? n : 10;
  const heldOut = new Array<number>(n).fill(NaN);
  for (let f = 0; f < k; f++) {
    const train = samples.filter((_, i) => i % k !== f);
    const cal = fitCalibration(train, opts);
    for (let i = f; i < n; i += k) heldOut[i] = predictCalibrated(cal, samples[i]!.score, samples[i]!.z);
  }
  const mos = samples.map((s) => s.mos);
  let e = 0;
  for (let i = 0; i < n; i++) e += (heldOut[i]! - mos[i]!) ** 2;
  const constant = (v: readonly number[]) => v.every((x) => Math.abs(x - v[0]!) < 1e-12);
  const corr = !constant(heldOut) && !constant(mos);
  return {
    n,
    method: k === n ? 'loo' : '10-fold',
    srcc: corr ? finite(srcc(heldOut, mos)) : null,
    plcc: corr ? finite(pearson(heldOut, mos)) : null,
    rmse: finite(Math.sqrt(e / n)),
    heldOut,
  };
}
