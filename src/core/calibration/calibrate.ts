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

  const r = samples.map((x, i) => y[i]! - applyMap(map, x.score));
  const best = ridgeResidual(new KernelRows(samples.map((x) => x.z!)), r, null, n, opts.lambdas ?? DEFAULT_LAMBDAS);
  const baseRmse = Number.isFinite(loo) ? loo : Math.sqrt(mean(r.map((v) => v * v)));
  return best && best.rmse < baseRmse ? { ...base, residual: best.w, lambda: best.lambda, looRmse: best.rmse } : base;
}

interface RidgeFit {
  readonly w: Float32Array;
  readonly lambda: number;
  /** Exact leave-one-out RMSE over the first `scored` rows. */
  readonly rmse: number;
}

/**
 * Kernel ridge regression of residuals `r` on feature rows `z`, its strength chosen by exact leave-one-out
 * error over the first `scored` rows. `weights` (null: all 1) make a row count less: its ridge term is
 * lambda / weight, so a weight-0.1 row pulls a tenth as hard. LOO residual of row i: alpha_i / [A^-1]_ii
 * with A = K + lambda W^-1 (the heteroscedastic form; Rasmussen & Williams eq. 5.12).
 */
function ridgeResidual(rows: KernelRows, r: readonly number[], weights: readonly number[] | null, scored: number, lambdas: readonly number[]): RidgeFit | null {
  const { z, gram } = rows;
  const n = z.length;
  const dims = z[0]!.length;
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += gram[i * n + i]! / n;
  let best: { rmse: number; alpha: Float64Array; lambda: number } | null = null;
  for (const rel of lambdas) {
    const lambda = rel * meanDiag;
    const a = Float64Array.from(gram);
    for (let i = 0; i < n; i++) a[i * n + i]! += lambda / (weights ? weights[i]! : 1);
    const l = cholesky(a, n);
    if (!l) continue;
    const alpha = choleskySolve(l, n, r);
    const inv = choleskyInverseDiagonal(l, n);
    let e = 0;
    for (let i = 0; i < scored; i++) e += (alpha[i]! / inv[i]!) ** 2;
    const rmse = Math.sqrt(e / scored);
    if (!best || rmse < best.rmse) best = { rmse, alpha, lambda: rel };
  }
  if (!best) return null;
  const w = new Float32Array(dims);
  z.forEach((row, i) => {
    const ai = best.alpha[i]!;
    for (let d = 0; d < dims; d++) w[d]! += ai * row[d]!;
  });
  return { w, lambda: best.lambda, rmse: best.rmse };
}

/** Feature rows with their Gram matrix, computed once however many ridge fits share them. */
class KernelRows {
  readonly gram: Float64Array;
  constructor(readonly z: readonly ArrayLike<number>[]) {
    this.gram = gramMatrix(z, z[0]!.length);
  }
}

/** An image judged by a helper (e.g. a local teacher), already on the user's scale, counting `weight` (0..1) of a rating. */
export interface AuxSample extends CalibrationSample {
  readonly weight: number;
}

/** How much of a rating an auxiliary sample of weight 1 may count: chosen by the user's leave-one-out error. */
const AUX_SCALES = [0.1, 0.3, 1];

export interface AuxCalibration extends Calibration {
  /** The scale the auxiliary samples were given (null: they did not lower the user's leave-one-out error, so none is used). */
  readonly auxScale: number | null;
}

/**
 * fitCalibration() on the user's samples, then a residual head fitted on the user's samples and `aux`
 * together, kept only where it predicts the user's own ratings better (exact LOO over the user's samples
 * alone). The monotone map and the clamp stay the user's: aux samples can reorder images, not move the scale.
 * Below 3 ratings LOO says nothing, and aux is ignored. The LOO holds the map (and whatever placed the aux
 * samples on the user's scale) fixed, fitted on every rating: slightly optimistic, as fitCalibration's own
 * residual choice is; bench:calibration measures the net effect on held-out images.
 */
export function fitCalibrationWithAux(samples: readonly CalibrationSample[], aux: readonly AuxSample[], opts: CalibrateOptions = {}): AuxCalibration {
  const base = fitCalibration(samples, opts);
  const rows = [...samples, ...aux];
  if (aux.length === 0 || samples.length < 3 || !rows.every((x) => x.z && x.z.length > 0 && x.z.length === rows[0]!.z!.length)) return { ...base, auxScale: null };
  const r = rows.map((x) => x.mos - applyMap(base.map, x.score));
  const kernel = new KernelRows(rows.map((x) => x.z!));
  let best: (RidgeFit & { scale: number }) | null = null;
  for (const scale of AUX_SCALES) {
    const weights = rows.map((x, i) => (i < samples.length ? 1 : Math.max(1e-3, scale * (x as AuxSample).weight)));
    const fit = ridgeResidual(kernel, r, weights, samples.length, opts.lambdas ?? DEFAULT_LAMBDAS);
    if (fit && (!best || fit.rmse < best.rmse)) best = { ...fit, scale };
  }
  const baseRmse = Number.isFinite(base.looRmse) ? base.looRmse : Infinity;
  if (!best || !(best.rmse < baseRmse)) return { ...base, auxScale: null };
  return { ...base, residual: best.w, lambda: best.lambda, looRmse: best.rmse, auxScale: best.scale };
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
