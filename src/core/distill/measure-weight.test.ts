import { describe, expect, it } from 'vitest';
import { fitMeasureWeight, type MeasurePair } from './measure-weight.ts';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('fitMeasureWeight', () => {
  it('gives the weight that makes the pairs as likely as their preferences', () => {
    // The head ties every pair; b carries 2 more units of the measure; a should win with p = 0.9.
    const pairs: MeasurePair[] = Array.from({ length: 20 }, () => ({ rawA: 3, rawB: 3, measureA: 0, measureB: 2, pAB: 0.9 }));
    const c = fitMeasureWeight(pairs, 0.5);
    expect(sigmoid((c * (0 - 2)) / 0.5)).toBeCloseTo(0.9, 6);
    expect(c).toBeLessThan(0);
  });

  it('outweighs a head that ranks the pairs the wrong way round', () => {
    const wrong: MeasurePair[] = [0.1, 0.2, 0.3].map((d) => ({ rawA: 3, rawB: 3 + d, measureA: 0.1, measureB: 1.5, pAB: 0.9 }));
    const c = fitMeasureWeight(wrong);
    for (const p of wrong) expect(p.rawA + c * p.measureA).toBeGreaterThan(p.rawB + c * p.measureB);
  });

  it('is 0 when the measure is equal within every pair, and pairs without a difference do not move it', () => {
    expect(fitMeasureWeight([{ rawA: 4, rawB: 2, measureA: 1, measureB: 1, pAB: 0.9 }])).toBe(0);
    const base: MeasurePair[] = [{ rawA: 3, rawB: 3, measureA: 0, measureB: 1, pAB: 0.8 }];
    const withTies = [...base, { rawA: 5, rawB: 1, measureA: 0, measureB: 0, pAB: 0.1 }];
    expect(fitMeasureWeight(withTies)).toBeCloseTo(fitMeasureWeight(base), 9);
  });

  it('weighs pairs by their weight', () => {
    const a: MeasurePair = { rawA: 3, rawB: 3, measureA: 0, measureB: 1, pAB: 0.9 };
    const b: MeasurePair = { rawA: 3, rawB: 3, measureA: 0, measureB: 1, pAB: 0.6 };
    expect(fitMeasureWeight([a, { ...b, weight: 0.01 }])).toBeLessThan(fitMeasureWeight([a, b]));
  });
});
