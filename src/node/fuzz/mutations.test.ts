import { describe, expect, it } from 'vitest';
import { flipBits, truncationPoints } from './mutations.ts';

describe('fuzz mutations', () => {
  it('cuts a file at 16 distinct points, all shorter than the file', () => {
    const pts = truncationPoints(50_000);
    expect(pts).toHaveLength(16);
    expect(new Set(pts).size).toBe(16);
    expect(pts.every((p) => p > 0 && p < 50_000)).toBe(true);
    expect(pts.at(-1)).toBe(49_999);
  });

  it('flips bits deterministically, only inside the given range', () => {
    const zero = new Uint8Array(1000);
    const a = flipBits(zero, 8, 7, 100, 200);
    expect(a.equals(flipBits(zero, 8, 7, 100, 200))).toBe(true);
    expect(a.equals(flipBits(zero, 8, 8, 100, 200))).toBe(false);
    const changed = [...a.keys()].filter((i) => a[i] !== 0);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((i) => i >= 100 && i < 200)).toBe(true);
  });
});
