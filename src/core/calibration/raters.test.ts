import { describe, expect, it } from 'vitest';
import { correctRaters, type RaterRating } from './raters.ts';

const truth = Array.from({ length: 12 }, (_, i) => 1.5 + (3 * i) / 11);
const key = (i: number) => `img${i}`;

describe('correctRaters', () => {
  it('is the identity for a single rater', () => {
    const r = correctRaters([{ imageKey: 'a', rater: 'ann', value: 4 }, { imageKey: 'a', rater: 'ann', value: 2 }]);
    expect(r.corrected).toEqual([4, 2]);
    expect(r.consensus.get('a')).toBe(3);
    expect(r.raters[0]).toMatchObject({ rater: 'ann', offset: 0, scale: 1, flagged: false });
  });
  it('removes a harsh rater’s offset so raters agree on the pooled scale', () => {
    const ratings: RaterRating[] = [];
    truth.forEach((t, i) => {
      ratings.push({ imageKey: key(i), rater: 'ann', value: t });
      ratings.push({ imageKey: key(i), rater: 'bob', value: t + 0.05 * ((i % 3) - 1) });
      ratings.push({ imageKey: key(i), rater: 'harsh', value: t - 1 });
    });
    const r = correctRaters(ratings);
    const harsh = r.raters.find((x) => x.rater === 'harsh')!;
    expect(harsh.offset).toBeGreaterThan(0.5);
    // On the pooled scale the raters now agree on every image (raw: 1 point apart).
    truth.forEach((_, i) => expect(Math.abs(r.corrected[3 * i]! - r.corrected[3 * i + 2]!)).toBeLessThan(0.25));
    expect(r.raters.every((x) => !x.flagged)).toBe(true);
  });
  it('flags a rater whose ratings disagree with the others', () => {
    const ratings: RaterRating[] = [];
    truth.forEach((t, i) => {
      ratings.push({ imageKey: key(i), rater: 'ann', value: t });
      ratings.push({ imageKey: key(i), rater: 'bob', value: t + 0.1 });
      ratings.push({ imageKey: key(i), rater: 'odd', value: 6.5 - t });
    });
    const r = correctRaters(ratings);
    expect(r.raters.find((x) => x.rater === 'odd')!.flagged).toBe(true);
    expect(r.raters.find((x) => x.rater === 'ann')!.flagged).toBe(false);
    expect(r.corrected.every(Number.isFinite)).toBe(true);
  });
  it('anchors raters with no shared images on the prediction, never NaN with constant ratings', () => {
    const ratings: RaterRating[] = truth.map((t, i) => ({ imageKey: key(i), rater: i % 2 ? 'ann' : 'cat', value: i % 2 ? t : 3 }));
    const r = correctRaters(ratings, (k) => truth[Number(k.slice(3))]);
    expect(r.corrected.every(Number.isFinite)).toBe(true);
    expect(r.raters.every((x) => Number.isFinite(x.offset) && Number.isFinite(x.scale))).toBe(true);
  });
});
