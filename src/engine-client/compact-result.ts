// Results as the page keeps them, one per image for the whole session, made smaller (the page's bytes per
// image: `bench:speed --memory`).
import type { LevelProbs } from '../core/teacher/types.ts';

// One copy of each of the few strings every result repeats (its mode, backend, image format): a worker's
// message brings its own copies. The values come from small fixed sets, so the table stays small.
const table = new Map<string, string>();

export function interned<T extends string>(value: T): T {
  const kept = table.get(value);
  if (kept !== undefined) return kept as T;
  table.set(value, value);
  return value;
}

/**
 * The five level probabilities as an array of unboxed doubles (an array literal of doubles); a message's
 * copy holds each number as a separate heap object.
 */
export function compactProbs(p: LevelProbs): LevelProbs {
  return [p[0], p[1], p[2], p[3], p[4]];
}
