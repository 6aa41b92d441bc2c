import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../distill/random.ts';
import { proposeBatch } from './active.ts';
import { fitCalibration, predictCalibrated } from './calibrate.ts';
import { evaluateLabelBudget } from './label-budget.ts';

function synthetic(n: number, seed: number, dims = 8) {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const z = Array.from({ length: dims }, () => rand() * 2 - 1);
    const score = 1 + 4 * rand();
    // The user's scale: 0..100, the student's ranking plus a feature the student missed.
    const mos = 20 * score - 10 + 15 * z[0]! + 2 * (rand() - 0.5);
    return { score, z, mos };
  });
}

describe('calibrate', () => {
  it('with one rating gives that rating everywhere, never NaN', () => {
    const c = fitCalibration([{ score: 3, mos: 70 }]);
    expect(predictCalibrated(c, 1)).toBe(70);
    expect(predictCalibrated(c, 5)).toBe(70);
  });
  it('with all ratings equal stays flat at that value', () => {
    const c = fitCalibration([1, 2, 3, 4, 5].map((s) => ({ score: s, mos: 3 })));
    expect([1, 3, 5].map((s) => predictCalibrated(c, s))).toEqual([3, 3, 3]);
  });
  it('never maps a higher student score to a lower MOS without features (slope >= 0)', () => {
    const c = fitCalibration([{ score: 1, mos: 5 }, { score: 2, mos: 4 }, { score: 3, mos: 4.5 }]);
    expect(predictCalibrated(c, 4)).toBeGreaterThanOrEqual(predictCalibrated(c, 1));
  });
  it('clamps extrapolation to the rated range widened by half', () => {
    const c = fitCalibration([{ score: 2, mos: 40 }, { score: 3, mos: 60 }]);
    expect(predictCalibrated(c, 100)).toBe(60 + 10);
    expect(predictCalibrated(c, -100)).toBe(40 - 10);
  });
  it('keeps the student ranking exactly below the residual threshold, even far outside the rated range', () => {
    const c = fitCalibration([{ score: 2.9, mos: 0.5 }, { score: 3.0, mos: 0.6 }, { score: 3.1, mos: 0.55 }, { score: 3.2, mos: 0.7 }, { score: 3.3, mos: 0.65 }]);
    const scores = Array.from({ length: 41 }, (_, i) => 1 + i * 0.1);
    const pred = scores.map((sc) => predictCalibrated(c, sc));
    for (let i = 1; i < pred.length; i++) expect(pred[i]!).toBeGreaterThan(pred[i - 1]!);
    expect(Math.max(...pred)).toBeLessThanOrEqual(0.7 + 0.1);
    expect(Math.min(...pred)).toBeGreaterThanOrEqual(0.5 - 0.1);
  });
  it('learns the residual from features once enough labels exist, and skips it with few', () => {
    const data = synthetic(400, 3);
    const few = fitCalibration(data.slice(0, 5));
    expect(few.residual).toBeNull();
    const many = fitCalibration(data.slice(0, 200));
    expect(many.residual).not.toBeNull();
    const fewRes = evaluateLabelBudget(data, 5, 5, 1);
    const manyRes = evaluateLabelBudget(data, 200, 5, 1);
    expect(manyRes.rmse.mean).toBeLessThan(fewRes.rmse.mean);
    expect(manyRes.srcc.mean).toBeGreaterThan(fewRes.srcc.mean);
  });
});

describe('active selection', () => {
  it('starts in the middle and then covers both ends of the predicted scale', () => {
    const cands = Array.from({ length: 101 }, (_, i) => ({ id: String(i), score: 1 + i * 0.04 }));
    const picks = proposeBatch(cands, 3).map(Number);
    expect(picks[0]).toBe(50);
    expect(Math.min(...picks.slice(1))).toBeLessThan(10);
    expect(Math.max(...picks.slice(1))).toBeGreaterThan(90);
    expect(new Set(proposeBatch(cands, 200)).size).toBe(101);
  });
});
