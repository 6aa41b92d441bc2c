import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DETAIL, RESIZE_BY_MODE } from '../../core/model/preprocess.ts';
import { loadBackboneFromDir } from '../backbone-files.ts';
import { hasSharedData, SHARED_DATA } from '../datasets.ts';
import { DEFAULT_MODEL_DIR } from '../model-dir.ts';
import { initTf } from '../tf-runtime.ts';
import { detailDegradations, detailRecipe, ENLARGE } from './detail-pairs.ts';

describe('full-resolution pairs for the Detail head', () => {
  it('draw mild strengths per photo, the same for the same name and seed', () => {
    const r = detailRecipe('a.jpg', 1);
    expect(detailRecipe('a.jpg', 1)).toEqual(r);
    expect(detailRecipe('b.jpg', 1)).not.toEqual(r);
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      const { gain, read, sigma } = detailRecipe(name, 3);
      expect(gain).toBeGreaterThanOrEqual(0.0005);
      expect(gain).toBeLessThanOrEqual(0.003);
      expect(read).toBeGreaterThanOrEqual(0.002);
      expect(read).toBeLessThanOrEqual(0.005);
      expect(sigma).toBeGreaterThanOrEqual(1);
      expect(sigma).toBeLessThanOrEqual(2);
    }
  });

  it.skipIf(!hasSharedData())('enlarge a real photo past the Detail threshold; its damaged copies give other features and the noisy one more unseen noise; a rerun computes nothing', { timeout: 120_000 }, async () => {
    // A 512 px photo enlarged 2.5x is over twice the 512 px view: the Detail view cuts its patches.
    expect(512 * ENLARGE).toBeGreaterThan(DEFAULT_DETAIL.minScale * 512);
    await initTf();
    const backbone = await loadBackboneFromDir(DEFAULT_MODEL_DIR);
    const dir = path.join(SHARED_DATA, 'biq2021', 'images');
    const name = fs.readdirSync(dir).sort()[0]!;
    const storeBase = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-detail-')), 'pairs');
    const images = [{ name, path: path.join(dir, name) }, { name: 'missing.jpg', path: path.join(dir, 'missing.jpg') }];
    const first = await detailDegradations({ backbone, images, resize: RESIZE_BY_MODE.accurate, storeBase, seed: 1 });
    expect(first.photos).toHaveLength(1); // the unreadable one contributes nothing
    const t = first.store.read();
    const row = (n: string) => t.data.subarray(t.names.indexOf(n) * t.dims, (t.names.indexOf(n) + 1) * t.dims);
    const { clean, noisy, blurred } = first.photos[0]!;
    const diff = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
    expect(diff(row(clean), row(noisy))).toBeGreaterThan(0);
    expect(diff(row(clean), row(blurred))).toBeGreaterThan(0);
    // The unseen-noise measure: the enlarged photo is smooth at 1:1, its noisy copy is not.
    const m = first.noise.read();
    const measure = (n: string) => m.data[m.names.indexOf(n)]!;
    expect(measure(clean)).toBeLessThan(0.5);
    expect(measure(noisy)).toBeGreaterThan(measure(clean) + 0.5);
    expect(measure(blurred)).toBeLessThanOrEqual(measure(clean) + 0.1);
    // Resume: a second run finds every variant in the store and computes nothing.
    const again = await detailDegradations({ backbone, images, resize: RESIZE_BY_MODE.accurate, storeBase, seed: 1 });
    expect(again.photos).toEqual(first.photos);
    expect(again.store.read().names).toEqual(t.names);
    // Features cached before the measure existed: only the measure is computed, to the same values.
    fs.rmSync(`${storeBase}-unseen-noise.names`);
    fs.rmSync(`${storeBase}-unseen-noise.f32`);
    const measuredOnly = await detailDegradations({ backbone, images, resize: RESIZE_BY_MODE.accurate, storeBase, seed: 1 });
    expect(measuredOnly.store.read().data).toEqual(t.data);
    expect(Array.from(measuredOnly.noise.read().data)).toEqual(Array.from(m.data));
    backbone.dispose();
  });
});
