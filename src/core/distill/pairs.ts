// Pair-wise targets. Where a teacher gave only point-wise judgments, the preference for a pair follows
// Thurstone's model: P(a > b) = Phi((s_a - s_b) / sqrt(var_a + var_b)), with each image's variance taken
// from the spread of its level distribution, so uncertain judgments yield soft preferences.
import { LEVEL_VALUES, type PairJudgment, type PointJudgment } from '../teacher/types.ts';
import { mulberry32 } from './random.ts';

export function levelVariance(j: PointJudgment): number {
  let v = 0;
  for (let i = 0; i < 5; i++) v += j.probs[i]! * (LEVEL_VALUES[i]! - j.score) ** 2;
  return v;
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.SQRT2);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

export function derivePair(a: PointJudgment, b: PointJudgment, minVariance = 0.05): PairJudgment {
  const sd = Math.sqrt(Math.max(minVariance, levelVariance(a)) + Math.max(minVariance, levelVariance(b)));
  return { a: a.image, b: b.image, pAB: normalCdf((a.score - b.score) / sd), reliability: Math.sqrt(a.reliability * b.reliability), teacher: a.teacher };
}

/** `count` random distinct pairs among the judged images (seeded, so a run is reproducible). */
export function sampleDerivedPairs(points: readonly PointJudgment[], count: number, seed: number): PairJudgment[] {
  const rand = mulberry32(seed);
  const out: PairJudgment[] = [];
  if (points.length < 2) return out;
  for (let n = 0; n < count; n++) {
    const i = Math.floor(rand() * points.length);
    let j = Math.floor(rand() * (points.length - 1));
    if (j >= i) j++;
    out.push(derivePair(points[i]!, points[j]!));
  }
  return out;
}
