import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../distill/random.ts';
import { fitSession, type SessionItem } from './fit-session.ts';

const rand = mulberry32(7);
const items: SessionItem[] = Array.from({ length: 40 }, (_, i) => ({ id: `i${i}`, score: 1 + 4 * rand(), z: Array.from({ length: 6 }, () => rand() * 2 - 1) }));
const range = { min: 0, max: 100 };
const finiteAll = (r: ReturnType<typeof fitSession>) =>
  Object.values(r.values).every(Number.isFinite) && Object.values(r.intervals).every(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && a <= b);

describe('fitSession', () => {
  it('without ratings or a stored head calibrates nothing', () => {
    const r = fitSession({ items, ratings: [], range });
    expect(r.head).toBeNull();
    expect(r.values).toEqual({});
  });
  it('one rating, equal ratings: flat, finite, on the scale', () => {
    const one = fitSession({ items, ratings: [{ imageId: 'i0', rater: 'a', value: 70 }], range });
    expect(new Set(Object.values(one.values))).toEqual(new Set([70]));
    expect(finiteAll(one)).toBe(true);
    expect(one.cv.srcc).toBeNull();
    const equal = fitSession({ items, ratings: items.slice(0, 6).map((it) => ({ imageId: it.id, rater: 'a', value: 50 })), range });
    expect(new Set(Object.values(equal.values))).toEqual(new Set([50]));
    expect(finiteAll(equal)).toBe(true);
  });
  it('follows the user’s scale with 10 ratings and narrows intervals', () => {
    const mos = (it: SessionItem) => 20 * it.score - 10;
    const r3 = fitSession({ items, ratings: items.slice(0, 3).map((it) => ({ imageId: it.id, rater: 'a', value: mos(it) })), range });
    const r10 = fitSession({ items, ratings: items.slice(0, 10).map((it) => ({ imageId: it.id, rater: 'a', value: mos(it) })), range });
    for (const it of items.slice(10)) expect(Math.abs(r10.values[it.id]! - Math.min(100, Math.max(0, mos(it))))).toBeLessThan(12);
    const w = (r: typeof r3) => Object.values(r.intervals).reduce((a, [lo, hi]) => a + hi - lo, 0);
    expect(w(r10)).toBeLessThan(w(r3));
    expect(r10.cv.srcc!).toBeGreaterThan(0.9);
    expect(r10.points).toHaveLength(10);
    expect(r10.curve.length).toBeGreaterThan(2);
  });
  it('applies a stored head when no rating is present and reproduces the refit exactly', () => {
    const ratings = items.slice(0, 12).map((it, i) => ({ imageId: it.id, rater: 'a', value: 10 + 7 * i }));
    const fit = fitSession({ items, ratings, range });
    const again = fitSession({ items, ratings: [], range, storedHead: JSON.parse(JSON.stringify(fit.head)) });
    expect(again.fromStoredHead).toBe(true);
    for (const it of items) expect(again.values[it.id]).toBeCloseTo(fit.values[it.id]!, 4);
  });
});
