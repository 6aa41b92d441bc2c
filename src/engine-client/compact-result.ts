// Results as the page keeps them, one per image for the whole session: small ways to make each smaller
// (heap snapshots of the page after 400 and 1,400 images).
import type { LevelProbs } from '../core/teacher/types.ts';

// One copy of each of the few strings every result repeats (its mode, backend, image format). A worker's
// message brings its own copies: ~16 bytes an image per string otherwise. The values come from small fixed
// sets, so the table stays small.
const table = new Map<string, string>();

export function interned<T extends string>(value: T): T {
  const kept = table.get(value);
  if (kept !== undefined) return kept as T;
  table.set(value, value);
  return value;
}

/**
 * The five level probabilities as an array of unboxed doubles. A message's copy holds each number as a
 * separate heap object (~10 bytes more each).
 */
export function compactProbs(p: LevelProbs): LevelProbs {
  return [p[0] + 0, p[1] + 0, p[2] + 0, p[3] + 0, p[4] + 0];
}
