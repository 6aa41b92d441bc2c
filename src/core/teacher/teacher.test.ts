import { describe, expect, it } from 'vitest';
import { derivePair, normalCdf } from '../distill/pairs.ts';
import { ensembleTeachers } from './ensemble.ts';
import { parseRecordedTeacher } from './recorded.ts';
import { type PointJudgment, softmaxLevels, expectedScore } from './types.ts';

const logits = (e: number, g: number, f: number, p: number, b: number) => ({ ' excellent': e, ' good': g, ' fair': f, ' poor': p, ' bad': b, ' high': 9 });

describe('recorded teacher (Q-Align logit format)', () => {
  it('turns level logits into probabilities and a 1..5 score, ignoring other tokens', () => {
    const r = parseRecordedTeacher('t', [{ filename: 'dir/a.jpg', logits: logits(10, 0, 0, 0, 0) }, { filename: 'b.jpg', logits: logits(0, 0, 0, 0, 10) }]);
    expect(r.judgments.map((j) => j.image)).toEqual(['a.jpg', 'b.jpg']);
    expect(r.judgments[0]!.score).toBeGreaterThan(4.99);
    expect(r.judgments[1]!.score).toBeLessThan(1.01);
    expect(r.judgments[0]!.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
  it('rejects entries with missing levels or no filename, and a non-array file', () => {
    const r = parseRecordedTeacher('t', [{ filename: 'a.jpg', logits: { ' good': 1 } }, { logits: logits(1, 1, 1, 1, 1) }]);
    expect(r.judgments).toHaveLength(0);
    expect(r.rejected.map((x) => x.reason)).toEqual(['a.jpg: missing level logits excellent, fair, poor, bad', 'no filename']);
    expect(() => parseRecordedTeacher('t', { not: 'an array' })).toThrow(/expected a JSON array/);
  });
});

function judge(image: string, score: number, teacher: string, sharp = 1): PointJudgment {
  const probs = softmaxLevels([5, 4, 3, 2, 1].map((v) => -sharp * (v - score) ** 2));
  return { image, probs, score: expectedScore(probs), reliability: 0.8, teacher };
}

describe('teacher ensemble', () => {
  it('weights a teacher that disagrees with the rest less, and lowers reliability where teachers disagree', () => {
    const n = 40;
    const truth = Array.from({ length: n }, (_, i) => 1.5 + (3 * i) / (n - 1));
    const noise = (i: number) => ((i * 7919) % 13) / 13 - 0.5;
    const teachers = new Map([
      ['a', truth.map((s, i) => judge(`i${i}`, s + 0.1 * noise(i), 'a'))],
      ['b', truth.map((s, i) => judge(`i${i}`, s - 0.1 * noise(i + 3), 'b'))],
      ['c', truth.map((_, i) => judge(`i${i}`, i % 2 ? 4 : 2, 'c'))],
    ]);
    const e = ensembleTeachers(teachers);
    const w = Object.fromEntries(e.teachers.map((t) => [t.id, t.weight]));
    expect(w.c).toBeLessThan(w.a! / 2);
    expect(e.judgments).toHaveLength(n);
    expect(e.judgments.every((j) => j.score >= 1 && j.score <= 5 && j.reliability > 0 && j.reliability <= 1)).toBe(true);
  });
});

describe('derived pairs', () => {
  it('prefers the better image, more sharply when the teacher is confident', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    const sure = derivePair(judge('a', 4, 't', 5), judge('b', 2, 't', 5));
    const unsure = derivePair(judge('a', 4, 't', 0.2), judge('b', 2, 't', 0.2));
    expect(sure.pAB).toBeGreaterThan(unsure.pAB);
    expect(unsure.pAB).toBeGreaterThan(0.5);
  });
});
