import { describe, expect, it } from 'vitest';

import { CLIP_PROMPT_PAIRS, readClipLogits } from './clip-levels.ts';
import { topLogprobsFromLogits, readLevelWords } from './level-words.ts';

/** Logits where every pair gives P(positive) = p. */
function logitsFor(ps: readonly number[]): number[] {
  return ps.flatMap((p) => [Math.log(p), Math.log(1 - p)]);
}

describe('CLIP antonym pairs -> 5 levels', () => {
  it('reads four equally sure pairs as a binomial over the levels, score 1 + 4 * mean P(positive)', () => {
    expect(CLIP_PROMPT_PAIRS).toHaveLength(4);
    const p = 0.7;
    const r = readClipLogits(logitsFor([p, p, p, p]));
    const binom = [1, 4, 6, 4, 1].map((c, k) => c * p ** k * (1 - p) ** (4 - k)); // k = yes-votes, bad..excellent
    expect(r.probs).toEqual([...binom].reverse().map((v) => expect.closeTo(v, 12)));
    expect(r.score).toBeCloseTo(1 + 4 * p, 12);
    expect(r.pairProbs.every((q) => Math.abs(q - p) < 1e-12)).toBe(true);
  });

  it('puts a sure, unanimous model on one level with full reliability', () => {
    expect(readClipLogits(logitsFor([1 - 1e-9, 1 - 1e-9, 1 - 1e-9, 1 - 1e-9])).probs[0]).toBeCloseTo(1, 6);
    expect(readClipLogits(logitsFor([1e-9, 1e-9, 1e-9, 1e-9])).probs[4]).toBeCloseTo(1, 6);
    expect(readClipLogits(logitsFor([1 - 1e-9, 1 - 1e-9, 1 - 1e-9, 1 - 1e-9])).reliability).toBeCloseTo(1, 6);
  });

  it('trusts pairs that contradict each other less than pairs that agree on the same mean', () => {
    const split = readClipLogits(logitsFor([0.99, 0.99, 0.01, 0.01]));
    const agree = readClipLogits(logitsFor([0.5, 0.5, 0.5, 0.5]));
    expect(split.score).toBeCloseTo(agree.score, 6);
    expect(split.reliability).toBeLessThan(0.1);
    // The split vote is a near-certain "fair" (two yes, two no): entropy alone would call it confident.
    expect(split.probs[2]).toBeGreaterThan(0.9);
  });

  it('refuses a logit row of the wrong length or with non-finite values', () => {
    expect(() => readClipLogits([1, 2, 3])).toThrow(/expected 8 finite prompt logits/);
    expect(() => readClipLogits([...logitsFor([0.5, 0.5, 0.5]), NaN, 0])).toThrow(/finite/);
  });
});

describe('next-token candidates from full logits', () => {
  const names = ['a', 'excellent', 'good', 'fair', 'poor', 'bad', 'z'];
  const logits = [3, 2, 1, 0, -1, -2, 2.5];

  it('returns the top k as log-softmax values, best first, plus the ids asked for', () => {
    const top = topLogprobsFromLogits(logits, (i) => names[i]!, 2, [4]);
    const logZ = Math.log(logits.reduce((s, v) => s + Math.exp(v), 0));
    expect(top.map((t) => t.token)).toEqual(['a', 'z', 'poor']);
    expect(top[0]!.logprob).toBeCloseTo(3 - logZ, 12);
    expect(top[2]!.logprob).toBeCloseTo(-1 - logZ, 12);
  });

  it('reads the same levels from every candidate as from a server that showed them all', () => {
    const top = topLogprobsFromLogits(logits, (i) => names[i]!, 20);
    const reading = readLevelWords(top);
    if (!reading.ok) throw new Error('expected a reading');
    const e = [2, 1, 0, -1, -2].map(Math.exp);
    const sum = e.reduce((a, b) => a + b, 0);
    reading.probs.forEach((p, i) => expect(p).toBeCloseTo(e[i]! / sum, 12));
    expect(reading.mass).toBeCloseTo(sum / logits.reduce((s, v) => s + Math.exp(v), 0), 12);
  });
});
