import { describe, expect, it } from 'vitest';
import { crossValidate } from './cross-validate.ts';

describe('crossValidate', () => {
  it('returns nulls below 3 ratings, never NaN', () => {
    expect(crossValidate([])).toMatchObject({ n: 0, srcc: null, plcc: null, rmse: null });
    expect(crossValidate([{ score: 1, mos: 2 }, { score: 2, mos: 3 }])).toMatchObject({ srcc: null, rmse: null });
  });
  it('gives null correlations but a finite RMSE when all ratings are equal', () => {
    const cv = crossValidate([1, 2, 3, 4].map((s) => ({ score: s, mos: 3 })));
    expect(cv.srcc).toBeNull();
    expect(cv.rmse).toBe(0);
  });
  it('uses leave-one-out up to 60 and 10-fold above, with good figures on a clean line', () => {
    const small = crossValidate(Array.from({ length: 12 }, (_, i) => ({ score: i, mos: 10 + 5 * i + (i % 2) })));
    expect(small.method).toBe('loo');
    expect(small.srcc!).toBeGreaterThan(0.95);
    expect(small.rmse!).toBeLessThan(2);
    const big = crossValidate(Array.from({ length: 80 }, (_, i) => ({ score: i / 10, mos: 2 * (i / 10) })));
    expect(big.method).toBe('10-fold');
    expect(big.heldOut).toHaveLength(80);
  });
});
