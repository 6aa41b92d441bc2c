// Rules to stars: four ascending thresholds on the displayed (calibrated) scale cut it into five bands,
// 1 to 5 stars. A score equal to a threshold goes to the upper band.

export type StarThresholds = readonly [number, number, number, number];

export function validThresholds(t: readonly number[]): t is StarThresholds {
  return t.length === 4 && t.every(Number.isFinite) && t.every((v, i) => i === 0 || v >= t[i - 1]!);
}

/** Evenly spaced thresholds over a scale (the starting point the user adjusts). */
export function evenThresholds(min: number, max: number): StarThresholds {
  const step = (max - min) / 5;
  const r = (v: number) => Math.round(v * 100) / 100;
  return [r(min + step), r(min + 2 * step), r(min + 3 * step), r(min + 4 * step)];
}

export function starsFor(score: number, t: StarThresholds): 1 | 2 | 3 | 4 | 5 {
  let stars = 1;
  for (const v of t) if (score >= v) stars++;
  return stars as 1 | 2 | 3 | 4 | 5;
}

/** How many scores land on 1..5 stars (index 0 = 1 star). */
export function starCounts(scores: readonly number[], t: StarThresholds): [number, number, number, number, number] {
  const c: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const s of scores) c[starsFor(s, t) - 1]++;
  return c;
}
