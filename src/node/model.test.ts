// The shipped model: its backbone is exactly what the nsfwjs dependency derives to, every file matches the
// manifest's sha256, a tampered file is refused, and scoring real images leaks no tensors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStudent } from '../core/model/student.ts';
import { hasSharedData, SHARED_DATA } from './datasets.ts';
import { decodeImageFile } from './decode-image.ts';
import { deriveBackbone } from './derive-backbone.ts';
import { DEFAULT_MODEL_DIR, modelDirReader } from './model-dir.ts';
import { initTf } from './tf-runtime.ts';

beforeAll(async () => {
  await initTf();
});

describe('shipped model', () => {
  it('has a backbone byte-identical to the one derived from nsfwjs@4.4.0', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-bb-'));
    deriveBackbone(dir);
    for (const f of ['backbone.json', 'backbone.bin']) {
      expect(fs.readFileSync(path.join(dir, f)).equals(fs.readFileSync(path.join(DEFAULT_MODEL_DIR, f)))).toBe(true);
    }
  });

  it('stays under 5 MB', () => {
    const total = fs.readdirSync(DEFAULT_MODEL_DIR).reduce((s, f) => s + fs.statSync(path.join(DEFAULT_MODEL_DIR, f)).size, 0);
    expect(total).toBeLessThan(5 * 1024 * 1024);
  });

  it('refuses a model folder whose head file was changed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-model-'));
    for (const f of fs.readdirSync(DEFAULT_MODEL_DIR)) fs.copyFileSync(path.join(DEFAULT_MODEL_DIR, f), path.join(dir, f));
    const head = path.join(dir, 'head-fast.bin');
    const bytes = fs.readFileSync(head);
    bytes[100] = bytes[100]! ^ 0xff;
    fs.writeFileSync(head, bytes);
    await expect(loadStudent(modelDirReader(dir))).rejects.toThrow(/head-fast.bin" is corrupt or replaced/);
  });

  it.skipIf(!hasSharedData())('scores real images in both modes without leaking tensors, and ranks a photo above its blurred copy', async () => {
    const student = await loadStudent(modelDirReader(DEFAULT_MODEL_DIR));
    await student.warmUp();
    const file = path.join(SHARED_DATA, 'biq2021', 'images', fs.readdirSync(path.join(SHARED_DATA, 'biq2021', 'images')).find((f) => f.startsWith('ss03'))!);
    const pixels = await decodeImageFile(file);
    const before = tf.memory().numTensors;
    const fast = await student.score(pixels, 'fast');
    const accurate = await student.score(pixels, 'accurate');
    expect(tf.memory().numTensors).toBe(before);
    for (const s of [fast, accurate]) {
      expect(s.score).toBeGreaterThanOrEqual(1 - 1e-6);
      expect(Number.isFinite(s.score)).toBe(true);
    }
    const sharp = (await import('sharp')).default;
    const blurred = await decodeImageFile(await sharp(file).blur(6).jpeg({ quality: 95 }).toBuffer());
    expect((await student.score(blurred, 'fast')).score).toBeLessThan(fast.score);
    student.dispose();
  });
});
