import { describe, expect, it } from 'vitest';
import { computeLayout } from './use-virtual-grid.ts';

describe('computeLayout', () => {
  it('fits as many columns as the width allows and renders only rows in view plus overscan', () => {
    const l = computeLayout(10_000, 1000, 0, 600, 160, 200, 10);
    expect(l.columns).toBe(5);
    expect(l.cellWidth).toBeCloseTo(192);
    expect(l.first).toBe(0);
    expect(l.last).toBe((3 + 2) * 5);
    expect(l.totalHeight).toBe(2000 * 210 - 10);
  });

  it('follows the scroll position', () => {
    const l = computeLayout(10_000, 1000, 210 * 100, 600, 160, 200, 10);
    expect(l.first).toBe(98 * 5);
    expect(l.last).toBe(105 * 5);
  });

  it('handles an empty grid and a tiny width', () => {
    expect(computeLayout(0, 1000, 0, 600, 160, 200, 10)).toMatchObject({ first: 0, last: 0, totalHeight: 0 });
    expect(computeLayout(3, 50, 0, 600, 160, 200, 10).columns).toBe(1);
  });
});
