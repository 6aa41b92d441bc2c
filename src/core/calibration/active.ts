// Which image to rate next. A calibration curve is pinned down fastest by ratings spread over the whole
// predicted range (a space-filling design on the student's score), so we propose the image whose score is
// farthest from every rated image's, within the central 98% of scores so that a handful of freak images
// at the extremes do not eat the first ratings (bench:calibration compared 1%, 5% and 10% tails).

export interface Candidate {
  readonly id: string;
  readonly score: number;
}

/** Share of scores left out at each end. */
const TAIL = 0.01;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** The id to rate next, or null when every candidate is rated. */
export function proposeNext(candidates: readonly Candidate[], ratedIds: ReadonlySet<string>): string | null {
  const open = candidates.filter((c) => !ratedIds.has(c.id) && Number.isFinite(c.score));
  if (open.length === 0) return null;
  const sorted = candidates.map((c) => c.score).filter(Number.isFinite).sort((a, b) => a - b);
  const lo = quantile(sorted, TAIL);
  const hi = quantile(sorted, 1 - TAIL);
  const inRange = open.filter((c) => c.score >= lo && c.score <= hi);
  const pool = inRange.length ? inRange : open;
  const rated = candidates.filter((c) => ratedIds.has(c.id)).map((c) => c.score);
  if (rated.length === 0) {
    // Start in the middle; the next proposals then reach out to both ends.
    const mid = quantile(sorted, 0.5);
    return pool.reduce((best, c) => (Math.abs(c.score - mid) < Math.abs(best.score - mid) ? c : best)).id;
  }
  let best = pool[0]!;
  let bestGap = -1;
  for (const c of pool) {
    let gap = Infinity;
    for (const r of rated) gap = Math.min(gap, Math.abs(c.score - r));
    if (gap > bestGap) (bestGap = gap), (best = c);
  }
  return best.id;
}

/** The first n proposals in order, as if each were rated as soon as it was proposed. */
export function proposeBatch(candidates: readonly Candidate[], n: number, alreadyRated: ReadonlySet<string> = new Set()): string[] {
  const rated = new Set(alreadyRated);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = proposeNext(candidates, rated);
    if (id === null) break;
    out.push(id);
    rated.add(id);
  }
  return out;
}
