import { describe, expect, it } from 'vitest';
import { predictiveInterval, uncertaintyModel } from './uncertainty.ts';

const range = { min: 1, max: 5 };
const width = (n: number, loo: number) => {
  const scores = Array.from({ length: n }, (_, i) => 1 + (4 * i) / Math.max(1, n - 1));
  const iv = predictiveInterval(uncertaintyModel(scores, loo, range), 3, 3);
  return iv.hi - iv.lo;
};

describe('uncertainty', () => {
  it('is a wide default below 3 ratings, inside the scale', () => {
    const iv = predictiveInterval(uncertaintyModel([2], NaN, range), 2, 4.8);
    expect(iv.hi).toBe(5);
    expect(iv.lo).toBeCloseTo(4.8 - 1.96, 6);
  });
  it('shrinks as ratings accumulate', () => {
    const w = [3, 5, 10, 20, 50].map((n) => width(n, 0.4));
    for (let i = 1; i < w.length; i++) expect(w[i]!).toBeLessThan(w[i - 1]!);
    expect(w[0]!).toBeLessThanOrEqual(width(2, NaN));
  });
  it('is wider far from the rated scores and never NaN', () => {
    const u = uncertaintyModel([2, 2.5, 3, 3.5], 0.3, range);
    expect(predictiveInterval(u, 5, 4).sd).toBeGreaterThan(predictiveInterval(u, 2.75, 3).sd);
    const flat = uncertaintyModel([3, 3, 3], 0, range);
    const iv = predictiveInterval(flat, 4, NaN);
    expect([iv.lo, iv.hi, iv.sd].every(Number.isFinite)).toBe(true);
  });
});
