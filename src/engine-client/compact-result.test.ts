import { describe, expect, it } from 'vitest';
import type { LevelProbs } from '../core/teacher/types.ts';
import { compactProbs, interned } from './compact-result.ts';

// What the page saves per image is measured by bench:speed --memory (heap bytes per image); these check
// that the compact forms keep the values.
describe('results kept compact', () => {
  it('keeps the five probabilities in order, as a new array', () => {
    const p: LevelProbs = [0.1, 0.2, 0.3, 0.25, 0.15];
    expect(compactProbs(p)).toEqual(p);
    expect(compactProbs(p)).not.toBe(p);
  });

  it('gives back the value it was given', () => {
    expect(['webp', 'jpeg', 'webp'].map((s) => interned(s))).toEqual(['webp', 'jpeg', 'webp']);
  });
});
