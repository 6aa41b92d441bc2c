import { describe, expect, it } from 'vitest';
import { correlations, median } from './evaluate.ts';
import { evalLogistic4, fitLogistic4 } from './logistic.ts';
import { krcc, pearson, ranks, srcc } from './rank.ts';

describe('rank correlations', () => {
  it('averages tied ranks', () => {
    expect(Array.from(ranks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
  });
  it('gives +1/-1 for monotone data and matches a hand-computed Kendall tau-b', () => {
    const x = [1, 2, 3, 4, 5];
    expect(srcc(x, x.map((v) => v ** 3))).toBeCloseTo(1, 12);
    expect(srcc(x, x.map((v) => -v))).toBeCloseTo(-1, 12);
    // 10 pairs: (1,2),(1,3)... with y = [1,3,2,5,4]: 8 concordant, 2 discordant -> 0.6
    expect(krcc(x, [1, 3, 2, 5, 4])).toBeCloseTo(0.6, 12);
  });
  it('pearson of constant input is 0, not NaN', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0);
  });
});

describe('VQEG 4-parameter logistic', () => {
  it('recovers a known curve', () => {
    const truth = { b1: 4.5, b2: 0.5, b3: 3, b4: 0.6 };
    const x = Array.from({ length: 60 }, (_, i) => 1 + (4 * i) / 59);
    const y = x.map((v) => evalLogistic4(truth, v));
    const fit = fitLogistic4(x, y);
    for (const v of [1.5, 3, 4.5]) expect(evalLogistic4(fit, v)).toBeCloseTo(evalLogistic4(truth, v), 3);
    const c = correlations(x, y);
    expect(c.plcc).toBeGreaterThan(0.9999);
    expect(c.rmse).toBeLessThan(1e-3);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
