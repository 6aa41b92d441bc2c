// More than one rater: people use a rating scale differently (one is harsh, one never leaves the middle).
// Each rater r gets a linear map x -> a_r + b_r x onto the pooled scale, fitted against what everyone else
// says about the same images: the mean corrected rating of the OTHER raters where they rated the image,
// else the student's calibrated prediction (so a rater who shares no image with anyone is still anchored).
// A few alternations settle it. With few ratings a map is shrunk toward the identity (k pseudo-ratings at
// a = 0, b = 1), and b stays in [0.25, 4] so no rater can be flattened or blown up. A rater with >= 5
// ratings is flagged when their raw ratings rank the images unlike the others (SRCC < 0.3) or their
// corrected ratings miss the others' by much more than the typical rater's (RMSE > 2x the median).
// A single rater is the identity: nothing to correct against.
import { srcc } from '../metrics/rank.ts';

export interface RaterRating {
  readonly imageKey: string;
  readonly rater: string;
  readonly value: number;
}

export interface RaterReport {
  readonly rater: string;
  readonly n: number;
  readonly offset: number;
  readonly scale: number;
  /** SRCC of this rater's ratings against the others / the prediction (null when undefined). */
  readonly srcc: number | null;
  /** RMSE of this rater's corrected ratings against the same targets. */
  readonly rmse: number | null;
  readonly flagged: boolean;
  readonly reason: string | null;
}

export interface RaterCorrection {
  /** Corrected value of each input rating, in input order. */
  readonly corrected: readonly number[];
  /** Per image: the mean corrected rating (what the head is fitted to). */
  readonly consensus: ReadonlyMap<string, number>;
  readonly raters: readonly RaterReport[];
}

const SHRINK = 3;
const MIN_FLAG = 5;
const ITERATIONS = 6;

function fitLine(x: readonly number[], y: readonly number[]): { a: number; b: number } {
  const n = x.length;
  const mx = x.reduce((p, v) => p + v, 0) / n;
  const my = y.reduce((p, v) => p + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) (sxy += (x[i]! - mx) * (y[i]! - my)), (sxx += (x[i]! - mx) ** 2);
  const b = sxx > 1e-12 ? sxy / sxx : 1;
  return { a: my - b * mx, b };
}

function meanBy(values: readonly { key: string; v: number }[]): Map<string, number> {
  const sum = new Map<string, [number, number]>();
  for (const { key, v } of values) {
    const s = sum.get(key) ?? [0, 0];
    (s[0] += v), (s[1] += 1);
    sum.set(key, s);
  }
  return new Map([...sum].map(([k, [s, c]]) => [k, s / c]));
}

/** `predict(imageKey)`: the student's calibrated prediction for a rated image, if known. */
export function correctRaters(ratings: readonly RaterRating[], predict: (imageKey: string) => number | undefined = () => undefined): RaterCorrection {
  const raters = [...new Set(ratings.map((r) => r.rater))];
  const identity = (): RaterCorrection => ({
    corrected: ratings.map((r) => r.value),
    consensus: meanBy(ratings.map((r) => ({ key: r.imageKey, v: r.value }))),
    raters: raters.map((rater) => ({ rater, n: ratings.filter((r) => r.rater === rater).length, offset: 0, scale: 1, srcc: null, rmse: null, flagged: false, reason: null })),
  });
  if (raters.length < 2) return identity();

  const maps = new Map(raters.map((r) => [r, { a: 0, b: 1 }]));
  let corrected = ratings.map((r) => r.value);
  const targetsFor = (rater: string): (number | undefined)[] =>
    ratings.map((r) => {
      if (r.rater !== rater) return undefined;
      let s = 0;
      let c = 0;
      ratings.forEach((o, j) => {
        if (o.rater !== rater && o.imageKey === r.imageKey) (s += corrected[j]!), c++;
      });
      if (c > 0) return s / c;
      const p = predict(r.imageKey);
      return p !== undefined && Number.isFinite(p) ? p : undefined;
    });

  for (let it = 0; it < ITERATIONS; it++) {
    for (const rater of raters) {
      const t = targetsFor(rater);
      const x: number[] = [];
      const y: number[] = [];
      t.forEach((v, i) => v !== undefined && (x.push(ratings[i]!.value), y.push(v)));
      if (x.length < 2) continue;
      const { a, b } = fitLine(x, y);
      const n = x.length;
      const bs = Math.min(4, Math.max(0.25, (n * b + SHRINK) / (n + SHRINK)));
      // The offset is shrunk at the raters' mean rating, not at 0, so shrinkage does not shift the scale.
      const mx = x.reduce((p, v) => p + v, 0) / n;
      const shift = (n * (a + b * mx - bs * mx) + SHRINK * (mx - bs * mx)) / (n + SHRINK);
      maps.set(rater, { a: shift, b: bs });
    }
    corrected = ratings.map((r) => {
      const m = maps.get(r.rater)!;
      return m.a + m.b * r.value;
    });
  }

  const reports = raters.map((rater) => {
    const t = targetsFor(rater);
    const raw: number[] = [];
    const cor: number[] = [];
    const tgt: number[] = [];
    t.forEach((v, i) => v !== undefined && (raw.push(ratings[i]!.value), cor.push(corrected[i]!), tgt.push(v)));
    const n = ratings.filter((r) => r.rater === rater).length;
    const varies = (v: number[]) => v.some((x) => Math.abs(x - v[0]!) > 1e-12);
    const rho = raw.length >= 3 && varies(raw) && varies(tgt) ? srcc(raw, tgt) : NaN;
    const rmse = tgt.length ? Math.sqrt(cor.reduce((p, c, i) => p + (c - tgt[i]!) ** 2, 0) / tgt.length) : NaN;
    const m = maps.get(rater)!;
    return { rater, n, offset: m.a, scale: m.b, srcc: Number.isFinite(rho) ? rho : null, rmse: Number.isFinite(rmse) ? rmse : null, flagged: false, reason: null as string | null };
  });
  const rmses = reports.filter((r) => r.rmse !== null).map((r) => r.rmse!).sort((a, b) => a - b);
  const medianRmse = rmses.length ? rmses[Math.floor((rmses.length - 1) / 2)]! : NaN;
  for (const r of reports) {
    if (r.n < MIN_FLAG) continue;
    if (r.srcc !== null && r.srcc < 0.3) (r.flagged = true), (r.reason = `ranks images unlike the others (SRCC ${r.srcc.toFixed(2)})`);
    else if (r.rmse !== null && Number.isFinite(medianRmse) && medianRmse > 0 && r.rmse > 2 * medianRmse && reports.length >= 3)
      (r.flagged = true), (r.reason = `far from the others (RMSE ${r.rmse.toFixed(2)} vs median ${medianRmse.toFixed(2)})`);
  }
  return { corrected, consensus: meanBy(ratings.map((r, i) => ({ key: r.imageKey, v: corrected[i]! }))), raters: reports };
}
