import { describe, expect, it } from 'vitest';
import { applyChanges, type Decisions, planEdit } from './decisions.ts';
import { EMPTY_HISTORY, record, travel } from './history.ts';
import { evenThresholds, starCounts, starsFor, validThresholds } from './star-rules.ts';

describe('decisions', () => {
  it('sets stars and flags by hand and drops records that become empty', () => {
    let d: Decisions = {};
    d = applyChanges(d, planEdit(d, ['k1'], { stars: 4 }, 'hand'), 'forward');
    d = applyChanges(d, planEdit(d, ['k1'], { flag: 'pick' }, 'hand'), 'forward');
    expect(d.k1).toEqual({ stars: 4, starsBy: 'hand', flag: 'pick', flagBy: 'hand' });
    d = applyChanges(d, planEdit(d, ['k1'], { stars: null }, 'hand'), 'forward');
    d = applyChanges(d, planEdit(d, ['k1'], { flag: null }, 'hand'), 'forward');
    expect(d).toEqual({});
    expect(() => planEdit(d, ['k1'], { stars: 6 }, 'hand')).toThrow(/0-5/);
  });

  it('never lets a rule overwrite what the user set by hand, but lets it replace a rule', () => {
    let d: Decisions = {};
    d = applyChanges(d, planEdit(d, ['a'], { stars: 5 }, 'hand'), 'forward');
    d = applyChanges(d, planEdit(d, ['a'], { flag: 'pick' }, 'hand'), 'forward');
    const rule = planEdit(d, ['a', 'b'], { flag: 'reject' }, 'rule');
    expect(rule.map((c) => c.key)).toEqual(['b']);
    d = applyChanges(d, rule, 'forward');
    d = applyChanges(d, planEdit(d, ['a', 'b'], { stars: 1 }, 'rule'), 'forward');
    expect(d.a).toMatchObject({ stars: 5, flag: 'pick' });
    expect(d.b).toEqual({ stars: 1, starsBy: 'rule', flag: 'reject', flagBy: 'rule' });
    d = applyChanges(d, planEdit(d, ['b'], { stars: 2 }, 'rule'), 'forward');
    expect(d.b!.stars).toBe(2);
    expect(planEdit(d, ['b'], { stars: 2 }, 'rule')).toEqual([]);
  });
});

describe('history', () => {
  it('undoes and redoes whole actions, and a new action clears redo', () => {
    let d: Decisions = {};
    let h = EMPTY_HISTORY;
    const act = (keys: string[], stars: number) => {
      const step = planEdit(d, keys, { stars }, 'hand');
      d = applyChanges(d, step, 'forward');
      h = record(h, step);
    };
    act(['a'], 3);
    act(['a', 'b'], 1);
    let r = travel(d, h, 'back');
    expect(r.decisions).toEqual({ a: { stars: 3, starsBy: 'hand', flag: null, flagBy: null } });
    r = travel(r.decisions, r.history, 'forward');
    expect(r.decisions.b!.stars).toBe(1);
    r = travel(r.decisions, r.history, 'back');
    r = travel(r.decisions, r.history, 'back');
    expect(r.decisions).toEqual({});
    expect(travel(r.decisions, r.history, 'back').step).toBeNull();
    d = r.decisions;
    h = r.history;
    act(['c'], 2);
    expect(h.future).toEqual([]);
  });
});

describe('star rules', () => {
  it('cuts the scale into five bands, a threshold belonging to the upper band', () => {
    const t = evenThresholds(0, 100);
    expect(t).toEqual([20, 40, 60, 80]);
    expect([0, 19.9, 20, 59, 60, 99, 100].map((s) => starsFor(s, t))).toEqual([1, 1, 2, 3, 4, 5, 5]);
    expect(starCounts([1, 25, 30, 90], t)).toEqual([1, 2, 0, 0, 1]);
    expect(validThresholds([1, 2, 2, 3])).toBe(true);
    expect(validThresholds([1, 3, 2, 4])).toBe(false);
    expect(validThresholds([1, 2, 3])).toBe(false);
  });
});
