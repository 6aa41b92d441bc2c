// The weight of a pixel measure (e.g. unseen noise) added to a trained head's raw score, fitted with the
// same pair loss as the head itself: for pairs "a beats b with probability pAB", the weight c minimises the
// weighted cross-entropy between pAB and sigmoid((raw_a - raw_b + c * (m_a - m_b)) / temperature). The
// head stays as trained: the measure adds what the backbone features cannot say, without bending the
// head's other directions (which full-resolution pairs in the head's own training did: README, #7).
import { PAIR_TEMPERATURE } from './train-head.ts';

export interface MeasurePair {
  /** The trained head's raw scores of a and b. */
  readonly rawA: number;
  readonly rawB: number;
  /** The measure on a and b. */
  readonly measureA: number;
  readonly measureB: number;
  readonly pAB: number;
  readonly weight?: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The loss's slope in c; it rises with c (the loss is convex), so its zero is the minimum. */
function slope(pairs: readonly MeasurePair[], c: number, t: number): number {
  let g = 0;
  for (const p of pairs) {
    const dm = p.measureA - p.measureB;
    if (dm === 0) continue;
    g += (p.weight ?? 1) * (sigmoid((p.rawA - p.rawB + c * dm) / t) - p.pAB) * (dm / t);
  }
  return g;
}

/** The fitted weight; 0 when the measure does not differ within any pair. */
export function fitMeasureWeight(pairs: readonly MeasurePair[], temperature = PAIR_TEMPERATURE): number {
  if (!pairs.some((p) => p.measureA !== p.measureB)) return 0;
  let lo = -1;
  let hi = 1;
  // Widen until the zero is bracketed (the preferences are below 1, so it is finite unless every pair
  // agrees with an unbounded weight: the cap then stands for "as large as it gets").
  for (let i = 0; i < 40 && slope(pairs, lo, temperature) > 0; i++) lo *= 2;
  for (let i = 0; i < 40 && slope(pairs, hi, temperature) < 0; i++) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (slope(pairs, mid, temperature) > 0) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}
