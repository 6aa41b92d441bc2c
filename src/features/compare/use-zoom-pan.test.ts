import { describe, expect, it } from 'vitest';
import { FIT, zoomAt } from './use-zoom-pan.ts';

describe('zoomAt', () => {
  it('keeps the point under the cursor still', () => {
    const v = zoomAt(FIT, 2, 100, -50);
    expect(v.scale).toBe(2);
    // The content point under the cursor, (100 - x) / scale, is the same before and after.
    expect((100 - v.x) / v.scale).toBeCloseTo(100);
    expect((-50 - v.y) / v.scale).toBeCloseTo(-50);
    const w = zoomAt(v, 1.5, 20, 30);
    expect((20 - w.x) / w.scale).toBeCloseTo((20 - v.x) / v.scale);
  });

  it('clamps between fit and 16x, and snaps back to fit', () => {
    expect(zoomAt(FIT, 0.5, 10, 10)).toEqual(FIT);
    expect(zoomAt(FIT, 100, 0, 0).scale).toBe(16);
  });
});
