// The CLI's scoring threads: features computed in a worker thread equal this thread's exactly, a missing
// file is an answer (not a crash), and a model that cannot load is refused with the reason.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Student } from '../core/model/student.ts';
import { hasSharedData, SHARED_DATA } from './datasets.ts';
import { FeaturePool } from './feature-pool.ts';
import { loadCliStudent } from './load-default-student.ts';
import { fileFeatures } from './score-image-files.ts';

describe.skipIf(!hasSharedData())('FeaturePool', () => {
  let pool: FeaturePool;
  let student: Student;
  beforeAll(async () => {
    [pool, student] = await Promise.all([FeaturePool.start(2), loadCliStudent()]);
  }, 120_000);
  afterAll(() => pool?.close());

  it('computes the same features on its threads as this thread does, in both modes', async () => {
    const dir = path.join(SHARED_DATA, 'biq2021', 'images');
    const files = fs.readdirSync(dir).sort().slice(0, 4).map((f) => path.join(dir, f));
    for (const mode of ['fast', 'accurate'] as const) {
      const threaded = await Promise.all(files.map((f) => pool.features(f, mode, 0)));
      for (const [i, file] of files.entries()) {
        const here = await fileFeatures(student, file, mode, 0);
        const there = threaded[i]!;
        expect(there.ok && here.ok).toBe(true);
        if (there.ok && here.ok) expect(Array.from(there.features)).toEqual(Array.from(here.features));
      }
    }
  }, 120_000);

  it('answers a missing file with its error code', async () => {
    const answer = await pool.features('/nonexistent/photo.jpg', 'fast', 0);
    expect(answer).toMatchObject({ ok: false, errorCode: 'not-found' });
  });

  it('refuses to start when a thread cannot load the model, saying why', async () => {
    await expect(FeaturePool.start(1, '/nonexistent-model-dir')).rejects.toThrow(/a scoring thread could not load the model: /);
  }, 60_000);
});
