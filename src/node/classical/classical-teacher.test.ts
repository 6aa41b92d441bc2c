import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { srcc } from '../../core/metrics/rank.ts';
import { expectedScore } from '../../core/teacher/types.ts';
import { ClassicalScoreCache, classicalJudgments, CLASSICAL_EXTENSIONS, judgmentsFromRawScores, softProbs, type RawScore } from './classical-teacher.ts';
import { listImageFiles } from '../image-files.ts';

const SHARED_DATA = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)), '..', 'shared', 'data');
const BIQ = path.join(SHARED_DATA, 'biq2021', 'images');

const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-classical-'));

describe('ClassicalScoreCache', () => {
  it('resumes from its JSONL file and ignores a torn last line', () => {
    const dir = tmpDir();
    const cache = ClassicalScoreCache.open('niqe-pristine', 'model-a', dir);
    cache.put({ name: 'a.jpg', sha256: 'aa', raw: 3.5 });
    cache.put({ name: 'b.jpg', sha256: 'bb', raw: NaN });
    // A crash mid-write leaves half a line behind.
    fs.appendFileSync(cache.file, '{"name":"c.jpg","sha256":"cc","ra');

    const reopened = ClassicalScoreCache.open('niqe-pristine', 'model-a', dir);
    expect(reopened.size).toBe(2);
    expect(reopened.skippedLines).toBe(1);
    expect(reopened.get('a.jpg', 'aa')?.raw).toBe(3.5);
    expect(reopened.get('b.jpg', 'bb')?.raw).toBeNaN();
    expect(reopened.get('c.jpg', 'cc')).toBeUndefined();
    // Same name, other content: a miss.
    expect(reopened.get('a.jpg', 'zz')).toBeUndefined();

    // The next append lands on its own line and survives another reopen.
    reopened.put({ name: 'c.jpg', sha256: 'cc', raw: 7 });
    const third = ClassicalScoreCache.open('niqe-pristine', 'model-a', dir);
    expect(third.size).toBe(3);
    expect(third.get('c.jpg', 'cc')?.raw).toBe(7);

    // Scores from another model version are not reused.
    expect(ClassicalScoreCache.open('niqe-pristine', 'model-b', dir).size).toBe(0);
  });
});

describe('judgmentsFromRawScores', () => {
  const raw: RawScore[] = [12, 40, 25, 3, 60, 33, 18, NaN].map((v, i) => ({ name: `${i}.jpg`, sha256: `h${i}`, raw: v }));

  it('is rank-preserving (lower raw = better) and follows the contract', () => {
    const js = judgmentsFromRawScores('brisque-live', raw);
    const finite = js.filter((_, i) => Number.isFinite(raw[i]!.raw));
    expect(srcc(finite.map((j) => j.score), raw.filter((r) => Number.isFinite(r.raw)).map((r) => -r.raw))).toBeCloseTo(1, 12);
    for (const j of js) {
      expect(j.teacher).toBe('brisque-live');
      expect(j.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(j.score).toBeCloseTo(expectedScore(j.probs), 12);
      expect(j.score).toBeGreaterThanOrEqual(1);
      expect(j.score).toBeLessThanOrEqual(5);
      expect(j.reliability).toBeGreaterThanOrEqual(0);
      expect(j.reliability).toBeLessThanOrEqual(1);
    }
    expect(js[0]!.image).toBe('h0');
    expect(js[7]).toMatchObject({ score: 3, reliability: 0 });
  });

  it('trusts the tails more than the middle, and agreement more than disagreement', () => {
    const js = judgmentsFromRawScores('niqe-pristine', raw);
    // raw 3 and 60 are the tails; 25 and 33 sit in the middle of the set.
    expect(js[3]!.reliability).toBeGreaterThan(js[2]!.reliability);
    expect(js[4]!.reliability).toBeGreaterThan(js[5]!.reliability);
    const agreeing = judgmentsFromRawScores('niqe-pristine', raw, { partner: raw });
    const reversed = judgmentsFromRawScores('niqe-pristine', raw, { partner: raw.map((r) => ({ ...r, raw: -r.raw })) });
    expect(agreeing[4]!.reliability).toBeGreaterThan(reversed[4]!.reliability);
  });

  it('soft probabilities hit the requested expectation', () => {
    for (const t of [1.2, 2, 3, 3.7, 4.9]) expect(expectedScore(softProbs(t))).toBeCloseTo(t, 6);
  });
});

describe.skipIf(!fs.existsSync(BIQ))('classicalJudgments on real photos', () => {
  it('scores files once, then answers from the cache', async () => {
    const files = listImageFiles(BIQ, { extensions: CLASSICAL_EXTENSIONS }).slice(0, 3);
    const cacheDir = tmpDir();
    let progress = 0;
    const first = await classicalJudgments(files, { cacheDir, onProgress: (done) => (progress = done) });
    expect(progress).toBe(3);
    for (const id of ['brisque-live', 'niqe-pristine'] as const) {
      expect(first[id]).toHaveLength(3);
      expect(first[id].every((j) => j.teacher === id && /^[0-9a-f]{64}$/.test(j.image))).toBe(true);
      expect(fs.readFileSync(path.join(cacheDir, `${id}.jsonl`), 'utf8').trim().split('\n')).toHaveLength(3);
    }
    const again = await classicalJudgments(files, { cacheDir });
    expect(again).toEqual(first);
    for (const id of ['brisque-live', 'niqe-pristine'] as const) {
      expect(fs.readFileSync(path.join(cacheDir, `${id}.jsonl`), 'utf8').trim().split('\n')).toHaveLength(3);
    }
  });
});
