import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../distill/random.ts';
import { srcc } from '../metrics/rank.ts';
import { fitSession, type SessionItem } from './fit-session.ts';
import { type TeacherLabel, teacherToUserScale } from './teacher-labels.ts';

// 200 images whose true quality is q; the student sees q only partly (its score mixes in a nuisance n that
// its features also carry), the teacher sees q plus a little noise. The user rates 10 images by q.
const rand = mulberry32(11);
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
const truth = new Map<string, number>();
const items: SessionItem[] = Array.from({ length: 200 }, (_, i) => {
  const q = gauss();
  const n = gauss();
  truth.set(`i${i}`, q);
  const z = [q, n, ...Array.from({ length: 6 }, () => gauss() * 0.3)];
  return { id: `i${i}`, score: 3 + 0.5 * q + 0.6 * n, z };
});
const range = { min: 0, max: 100 };
const userValue = (id: string) => Math.min(100, Math.max(0, 50 + 15 * truth.get(id)!));
const ratings = items.slice(0, 10).map((it) => ({ imageId: it.id, rater: 'me', value: userValue(it.id) }));
const teacher = (sign: 1 | -1): TeacherLabel[] =>
  items.map((it) => ({ imageId: it.id, score: Math.min(5, Math.max(1, 3 + sign * 0.8 * truth.get(it.id)! + 0.1 * gauss())), reliability: 0.8 }));
const unrated = items.slice(10).map((it) => it.id);
const rankOn = (values: Record<string, number>) => srcc(unrated.map((id) => values[id]!), unrated.map((id) => truth.get(id)!));

describe('teacher judgments in the calibration fit', () => {
  it('a teacher that sees what the student misses improves the ranking of the images the user did not rate', () => {
    const alone = fitSession({ items, ratings, range });
    const taught = fitSession({ items, ratings, range, teacher: teacher(1) });
    expect(taught.teacher).toMatchObject({ judged: 200, shared: 10, reason: null });
    expect(taught.teacher!.used).toBeGreaterThan(100);
    expect(taught.teacher!.scale).not.toBeNull();
    expect(rankOn(taught.values)).toBeGreaterThan(rankOn(alone.values) + 0.1);
    // The user's scale is kept: the map and the clamp come from the ratings alone.
    expect(taught.head!.map).toEqual(alone.head!.map);
    expect(taught.head!.clamp).toEqual(alone.head!.clamp);
    expect(alone.teacher).toBeNull();
  });

  it('a teacher that ranks against the user is refused with its reason, and the fit is the user’s alone', () => {
    const alone = fitSession({ items, ratings, range });
    const reversed = fitSession({ items, ratings, range, teacher: teacher(-1) });
    expect(reversed.teacher!.used).toBe(0);
    expect(reversed.teacher!.reason).toMatch(/against your ratings/);
    expect(reversed.values).toEqual(alone.values);
  });

  it('too few images both rated and judged: the teacher waits, with the count in its reason', () => {
    const few = fitSession({ items, ratings, range, teacher: teacher(1).slice(8) });
    expect(few.teacher).toMatchObject({ shared: 2, used: 0, scale: null });
    expect(few.teacher!.reason).toMatch(/at least 3 .*2 so far/);
    const none = fitSession({ items, ratings: [], range, teacher: teacher(1) });
    expect(none.teacher).toMatchObject({ judged: 200, used: 0, reason: 'no ratings yet' });
  });

  it('the scale line is fitted where both judged, weighted by reliability', () => {
    const rated = new Map([['a', 10], ['b', 30], ['c', 50], ['d', 0]]);
    const labels: TeacherLabel[] = [
      { imageId: 'a', score: 1, reliability: 1 },
      { imageId: 'b', score: 2, reliability: 1 },
      { imageId: 'c', score: 3, reliability: 1 },
      { imageId: 'd', score: 5, reliability: 0 }, // worthless: ignored
      { imageId: 'x', score: 4, reliability: 1 }, // not rated: does not place the scale
    ];
    const s = teacherToUserScale(labels, rated);
    expect(s).toMatchObject({ ok: true, shared: 3 });
    if (s.ok) {
      expect(s.b).toBeCloseTo(20, 9);
      expect(s.a).toBeCloseTo(-10, 9);
    }
    expect(teacherToUserScale(labels.map((l) => ({ ...l, score: 3 })), rated)).toMatchObject({ ok: false, reason: expect.stringMatching(/same score/) });
  });
});
