// Few-label calibration of the student onto a user's MOS scale, shared by `leaf eval`, the benches and the
// browser worker. Two parts, each only as flexible as the labels can support:
//  1. a monotone map g(s) of the student score: a line with non-negative slope (from 2 labels), replaced
//     by the VQEG 4-parameter logistic when leave-one-out error says the curve is worth it;
//  2. a residual head on the student's standardised features, r(x) = w . z(x): kernel ridge regression of
//     the labels' residuals, its strength chosen by exact leave-one-out error. With few labels LOO picks
//     "no residual", so the ranking stays the student's; with many labels it learns where the student and
//     this user disagree.
// Predictions beyond the labels' range are squashed smoothly (tanh) into that range widened by half of it,
// so nothing extrapolates wildly and, unlike a hard clamp, no two images are tied at a bound.
import { evalLogistic4, fitLogistic4, type Logistic4 } from '../metrics/logistic.ts';
import { cholesky, choleskyInverseDiagonal, choleskySolve } from './linear-algebra.ts';

export interface CalibrationSample {
  readonly score: number;
  /** Standardised student features (z); optional — without them only the monotone map is fitted. */
  readonly z?: ArrayLike<number>;
  readonly mos: number;
}

export type MonotoneMap =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'linear'; readonly a: number; readonly b: number }
  | { readonly kind: 'logistic'; readonly p: Logistic4 };

export interface Calibration {
  readonly map: MonotoneMap;
  /** Residual weights over standardised features, or null when LOO chose no residual. */
  readonly residual: Float32Array | null;
  readonly lambda: number | null;
  readonly clamp: readonly [number, number];
  readonly labels: number;
  /** Leave-one-out RMSE of the chosen model, in label units (NaN below 3 labels). */
  readonly looRmse: number;
}

export interface CalibrateOptions {
  /** Ridge strengths tried for the residual, relative to mean(diag K). */
  readonly lambdas?: readonly number[];
  /** Below this many labels no residual head is fitted at all. */
  readonly minResidualLabels?: number;
  readonly minLogisticLabels?: number;
}

const DEFAULT_LAMBDAS = [0.1, 0.3, 1, 3, 10];

export function applyMap(map: MonotoneMap, s: number): number {
  switch (map.kind) {
    case 'constant':
      return map.value;
    case 'linear':
      return map.a + map.b * s;
    case 'logistic':
      return evalLogistic4(map.p, s);
  }
}

function mean(v: readonly number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}

/**
 * Least squares line whose slope never drops below a floor: a higher student score never means "worse" on
 * the user's scale, and a flat map would throw the student's ranking away. With few, noisy labels the
 * fitted slope can come out near zero or negative; the floor is then a quarter of the slope a perfect
 * correlation would give (sd(y) / sd(s)), which keeps the ranking and a plausible spread.
 */
export function fitLine(s: readonly number[], y: readonly number[]): MonotoneMap {
  const ms = mean(s);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < s.length; i++) {
    sxy += (s[i]! - ms) * (y[i]! - my);
    sxx += (s[i]! - ms) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  if (sxx <= 1e-12) return { kind: 'constant', value: my };
  // All ratings equal: stay at that value, with a vanishing slope that only keeps the student's order.
  if (syy <= 1e-12) return { kind: 'linear', a: my - 1e-9 * ms, b: 1e-9 };
  const ols = sxy / sxx;
  const b = Math.max(ols, SLOPE_FLOOR * Math.sqrt(syy / sxx));
  return { kind: 'linear', a: my - b * ms, b };
}

const SLOPE_FLOOR = 0.25;

/** Leave-one-out RMSE of refitting `fit` without each sample. */
function looRmseOf(s: readonly number[], y: readonly number[], fit: (s: number[], y: number[]) => MonotoneMap): number {
  let e = 0;
  for (let i = 0; i < s.length; i++) {
    const ss = s.filter((_, j) => j !== i);
    const yy = y.filter((_, j) => j !== i);
    e += (applyMap(fit(ss, yy), s[i]!) - y[i]!) ** 2;
  }
  return Math.sqrt(e / s.length);
}

function fitLogisticMap(s: readonly number[], y: readonly number[]): MonotoneMap {
  const p = fitLogistic4(s, y);
  // A falling or degenerate curve is no calibration: fall back to the line.
  const rising = (p.b1 - p.b2) * Math.sign(p.b4 || 1) > 0;
  return rising && Number.isFinite(p.b1 + p.b2 + p.b3 + p.b4) ? { kind: 'logistic', p } : fitLine(s, y);
}

function chooseMap(s: readonly number[], y: readonly number[], minLogistic: number): { map: MonotoneMap; loo: number } {
  const line = fitLine(s, y);
  if (s.length < 3) return { map: line, loo: NaN };
  const lineLoo = looRmseOf(s, y, fitLine);
  if (s.length < minLogistic) return { map: line, loo: lineLoo };
  // Line vs curve is decided by 5-fold CV: n leave-one-out refits of the logistic made a refit with 50
  // ratings cost over a second in the browser's cross-validation panel, and 5 folds give the same choice.
  const logisticCv = kFoldRmse(s, y, fitLogisticMap, 5);
  const lineCv = kFoldRmse(s, y, fitLine, 5);
  return logisticCv < lineCv ? { map: fitLogisticMap(s, y), loo: logisticCv } : { map: line, loo: lineLoo };
}

function kFoldRmse(s: readonly number[], y: readonly number[], fit: (s: number[], y: number[]) => MonotoneMap, k: number): number {
  let e = 0;
  for (let f = 0; f < k; f++) {
    const trainS: number[] = [];
    const trainY: number[] = [];
    for (let i = 0; i < s.length; i++) if (i % k !== f) (trainS.push(s[i]!), trainY.push(y[i]!));
    const m = fit(trainS, trainY);
    for (let i = f; i < s.length; i += k) e += (applyMap(m, s[i]!) - y[i]!) ** 2;
  }
  return Math.sqrt(e / s.length);
}

export function fitCalibration(samples: readonly CalibrationSample[], opts: CalibrateOptions = {}): Calibration {
  const n = samples.length;
  if (n === 0) throw new Error('calibration needs at least one labelled image');
  const s = samples.map((x) => x.score);
  const y = samples.map((x) => x.mos);
  if (!s.every(Number.isFinite) || !y.every(Number.isFinite)) throw new Error('calibration labels and scores must be finite numbers');
  const lo = Math.min(...y);
  const hi = Math.max(...y);
  const widen = (hi - lo) / 2;
  const clamp: [number, number] = [lo - widen, hi + widen];
  const { map, loo } = chooseMap(s, y, opts.minLogisticLabels ?? 30);

  const base: Calibration = { map, residual: null, lambda: null, clamp, labels: n, looRmse: loo };
  // Below ~20 labels the residual head's LOO choice is itself too noisy (bench:calibration: it cost RMSE at 10).
  const minResidual = opts.minResidualLabels ?? 20;
  if (n < minResidual || !samples.every((x) => x.z && x.z.length > 0)) return base;

  const dims = samples[0]!.z!.length;
  const r = samples.map((x, i) => y[i]! - applyMap(map, x.score));
  const gram = gramMatrix(samples.map((x) => x.z!), dims);
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += gram[i * n + i]! / n;

  let best = { rmse: Number.isFinite(loo) ? loo : Math.sqrt(mean(r.map((v) => v * v))), alpha: null as Float64Array | null, lambda: null as number | null };
  for (const rel of opts.lambdas ?? DEFAULT_LAMBDAS) {
    const lambda = rel * meanDiag;
    const a = Float64Array.from(gram);
    for (let i = 0; i < n; i++) a[i * n + i]! += lambda;
    const l = cholesky(a, n);
    if (!l) continue;
    const alpha = choleskySolve(l, n, r);
    const inv = choleskyInverseDiagonal(l, n);
    // Exact LOO residual of kernel ridge: alpha_i / [(K + lambda I)^-1]_ii.
    let e = 0;
    for (let i = 0; i < n; i++) e += (alpha[i]! / inv[i]!) ** 2;
    const rmse = Math.sqrt(e / n);
    if (rmse < best.rmse) best = { rmse, alpha, lambda: rel };
  }
  if (!best.alpha) return base;
  const w = new Float32Array(dims);
  samples.forEach((x, i) => {
    const ai = best.alpha![i]!;
    for (let d = 0; d < dims; d++) w[d]! += ai * x.z![d]!;
  });
  return { ...base, residual: w, lambda: best.lambda, looRmse: best.rmse };
}

function gramMatrix(rows: readonly ArrayLike<number>[], dims: number): Float64Array {
  const n = rows.length;
  // One contiguous copy keeps the O(n^2 d) inner loop on a single typed array (several times faster).
  const flat = new Float64Array(n * dims);
  rows.forEach((r, i) => flat.set(r as ArrayLike<number>, i * dims));
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const oi = i * dims;
    for (let j = 0; j <= i; j++) {
      const oj = j * dims;
      let s = 0;
      for (let d = 0; d < dims; d++) s += flat[oi + d]! * flat[oj + d]!;
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  return g;
}

export function predictCalibrated(c: Calibration, score: number, z?: ArrayLike<number>): number {
  let v = applyMap(c.map, score);
  if (c.residual && z) {
    let dot = 0;
    for (let d = 0; d < c.residual.length; d++) dot += c.residual[d]! * z[d]!;
    v += dot;
  }
  return bound(c, v);
}

/** Strictly increasing squash of `v` into c.clamp: identity inside the rated range, tanh beyond it. */
export function bound(c: Pick<Calibration, 'clamp'>, v: number): number {
  const widen = (c.clamp[1] - c.clamp[0]) / 4; // clamp = rated range widened by half of it on each side
  if (!(widen > 0)) return Math.min(c.clamp[1], Math.max(c.clamp[0], v));
  const lo = c.clamp[0] + widen;
  const hi = c.clamp[1] - widen;
  if (v > hi) return hi + widen * Math.tanh((v - hi) / widen);
  if (v < lo) return lo - widen * Math.tanh((lo - v) / widen);
  return v;
}
