import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../distill/random.ts';
import { fitSession, fitSessionHead, MAX_TEACHER_SAMPLES, needsFeatures, predictSessionItems, type SessionItem, sessionResult } from './fit-session.ts';
import { teacherCandidates } from './teacher-labels.ts';

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

  it('fitting on the rated and teacher-candidate features alone, then predicting in chunks, equals the fit with every feature in memory', () => {
    // What the worker does so its memory stays flat: features are read for the fit's images, then streamed.
    const r = mulberry32(11);
    const many: SessionItem[] = Array.from({ length: 420 }, (_, i) => ({ id: `m${i}`, score: 1 + 4 * r(), z: Array.from({ length: 8 }, () => r() * 2 - 1) }));
    const truth = (it: SessionItem) => 12 * it.score + 25 * Number(it.z![0]) + 20;
    const ratings = many.slice(0, 60).map((it) => ({ imageId: it.id, rater: 'a', value: truth(it) + 3 * (r() - 0.5) }));
    const teacher = many.slice(20).map((it) => ({ imageId: it.id, score: 1 + (truth(it) - 20) / 25, reliability: 0.2 + 0.8 * r() }));
    const whole = fitSession({ items: many, ratings, range, teacher });

    const rated = new Set(ratings.map((x) => x.imageId));
    const fitIds = new Set([...rated, ...teacherCandidates(teacher, rated, MAX_TEACHER_SAMPLES)]);
    expect(fitIds.size).toBe(60 + MAX_TEACHER_SAMPLES);
    const head = fitSessionHead({ items: many.map((it) => (fitIds.has(it.id) ? it : { id: it.id, score: it.score })), ratings, range, teacher });
    expect(needsFeatures(head)).toBe(true);
    const predicted = { values: {}, intervals: {} };
    for (let at = 0; at < many.length; at += 37) predictSessionItems(head, many.slice(at, at + 37), predicted);
    const streamed = sessionResult(head, predicted, many.map((it) => it.score));

    const withoutTimes = ({ ms: _ms, fitMs: _fit, cvMs: _cv, ...rest }: typeof whole) => rest;
    expect(whole.teacher!.used).toBeGreaterThan(0);
    expect(withoutTimes(streamed)).toEqual(withoutTimes(whole));
  });
});
