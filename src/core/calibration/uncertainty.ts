// Per-image predictive interval of a calibrated score, shrinking as ratings accumulate.
//
// Choice: the classical prediction interval of a simple linear regression of rating on student score,
//   sd(s) = sigma * sqrt(1 + 1/n + (s - mean_s)^2 / Sxx),
// where sigma is not the raw residual SD (meaningless with 3 points) but a pooled estimate that starts at a
// wide prior and moves to the data: sigma^2 = (k0 * prior^2 + m * obs^2) / (k0 + m), with prior = a quarter
// of the rating scale's range (a rating's plausible spread before any evidence), k0 = 3 pseudo-ratings,
// obs = the calibration's leave-one-out RMSE (an honest out-of-sample error) and m = n - 2 its degrees of
// freedom. Below 3 ratings there is no error estimate at all: sd = prior; sd never exceeds the prior. The
// interval is pred ± 1.96 sd, cut to the rating scale, so it never leaves the scale and is never NaN. The residual head
// changes the centre, not the width (its LOO error is what obs already measures).
export interface RatingRange {
  readonly min: number;
  readonly max: number;
}

export interface UncertaintyModel {
  readonly n: number;
  readonly sigma: number;
  readonly meanScore: number;
  readonly sxx: number;
  readonly range: RatingRange;
}

export interface Interval {
  readonly lo: number;
  readonly hi: number;
  readonly sd: number;
}

const PRIOR_WEIGHT = 3;
const Z95 = 1.96;

export function priorSigma(range: RatingRange): number {
  return (range.max - range.min) / 4;
}

/** `ratedScores`: the student scores of the rated images; `looRmse`: the calibration's (NaN below 3). */
export function uncertaintyModel(ratedScores: readonly number[], looRmse: number, range: RatingRange): UncertaintyModel {
  const n = ratedScores.length;
  const prior = priorSigma(range);
  const meanScore = n ? ratedScores.reduce((a, b) => a + b, 0) / n : 0;
  const sxx = ratedScores.reduce((a, s) => a + (s - meanScore) ** 2, 0);
  if (n < 3 || !Number.isFinite(looRmse)) return { n, sigma: prior, meanScore, sxx, range };
  const m = n - 2;
  const sigma = Math.sqrt((PRIOR_WEIGHT * prior ** 2 + m * looRmse ** 2) / (PRIOR_WEIGHT + m));
  return { n, sigma, meanScore, sxx, range };
}

export function predictiveInterval(u: UncertaintyModel, score: number, pred: number): Interval {
  const { range } = u;
  let sd = u.sigma;
  if (u.n >= 3) {
    const lever = u.sxx > 1e-12 ? (score - u.meanScore) ** 2 / u.sxx : 0;
    sd = u.sigma * Math.sqrt(1 + 1 / u.n + lever);
  }
  // Never wider than the no-evidence prior: a rating can only narrow what we knew.
  sd = Math.min(sd, priorSigma(range));
  const c = Number.isFinite(pred) ? pred : (range.min + range.max) / 2;
  return { lo: Math.max(range.min, c - Z95 * sd), hi: Math.min(range.max, c + Z95 * sd), sd };
}
