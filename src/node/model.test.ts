// The shipped model: its backbone is what the nsfwjs dependency derives to (plus fine-tuned top blocks), every file matches the
// manifest's sha256, a tampered file is refused, and scoring real images leaks no tensors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sensorNoise } from '../core/degrade/pixel-ops.ts';
import { mulberry32 } from '../core/distill/random.ts';
import { BACKBONE_SCOPE, DEFAULT_TAPS, featureLength } from '../core/model/features.ts';
import { loadStudent } from '../core/model/student.ts';
import { TOP_WEIGHT_NAMES } from '../core/model/top-blocks.ts';
import { hasSharedData, SHARED_DATA } from './datasets.ts';
import { decodeImageFile } from './decode-image.ts';
import { deriveBackbone } from './derive-backbone.ts';
import { readPreviousModel } from './distill/distill.ts';
import { DEFAULT_MODEL_DIR, modelDirReader } from './model-dir.ts';
import { initTf } from './tf-runtime.ts';

beforeAll(async () => {
  await initTf();
});

describe('shipped model', () => {
  it('has the backbone derived from nsfwjs@4.4.0, where only the fine-tuned top blocks may differ', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-bb-'));
    deriveBackbone(dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODEL_DIR, 'manifest.json'), 'utf8'));
    const fineTuned = Boolean(manifest.provenance.backbone?.fineTuned);
    const read = (d: string) => ({ graph: JSON.parse(fs.readFileSync(path.join(d, 'backbone.json'), 'utf8')), bin: fs.readFileSync(path.join(d, 'backbone.bin')) });
    const derived = read(dir);
    const shipped = read(DEFAULT_MODEL_DIR);
    expect(shipped.graph.modelTopology).toEqual(derived.graph.modelTopology);
    expect(shipped.bin.length).toBe(derived.bin.length);
    const specs = derived.graph.weightsManifest[0].weights as { name: string; shape: number[] }[];
    const changed: string[] = [];
    let offset = 0;
    specs.forEach((spec, i) => {
      const n = spec.shape.reduce((a, b) => a * b, 1); // uint8-quantised: one byte per value
      if (!shipped.bin.subarray(offset, offset + n).equals(derived.bin.subarray(offset, offset + n)) || JSON.stringify(shipped.graph.weightsManifest[0].weights[i]) !== JSON.stringify(spec)) {
        changed.push(spec.name.slice(BACKBONE_SCOPE.length));
      }
      offset += n;
    });
    expect(offset).toBe(derived.bin.length);
    if (fineTuned) {
      expect(changed.length).toBeGreaterThan(0);
      for (const name of changed) expect(TOP_WEIGHT_NAMES).toContain(name);
    } else {
      expect(changed).toEqual([]);
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

  it.skipIf(!hasSharedData())('weighs the unseen-noise measure in Detail only: it follows the features, 0 where no patches are cut', async () => {
    const previous = readPreviousModel(DEFAULT_MODEL_DIR)!;
    const student = await loadStudent(modelDirReader(DEFAULT_MODEL_DIR));
    expect(student.manifest.features.measures).toEqual(['unseen-noise']);
    expect(student.manifest.features.length).toBe(featureLength(DEFAULT_TAPS) + 1);
    expect(previous.measureWeights.accurate![0]).toBeLessThan(0);
    expect(previous.measureWeights.fast![0]).toBe(0);
    const file = path.join(SHARED_DATA, 'biq2021', 'images', fs.readdirSync(path.join(SHARED_DATA, 'biq2021', 'images')).find((f) => f.startsWith('ss03'))!);
    const small = await decodeImageFile(file);
    for (const mode of ['fast', 'accurate'] as const) expect((await student.features(small, mode)).features.at(-1)).toBe(0);
    // A large noisy photo: Detail carries the measure as its last feature, and the score pays for it.
    const sharp = (await import('sharp')).default;
    const large = await decodeImageFile(await sharp(file).resize(1600, 1600).png().toBuffer());
    const noisy = sensorNoise(large, 0.002, 0.004, mulberry32(3));
    const f = await student.features(noisy, 'accurate');
    expect(f.unseenNoise).toBeGreaterThan(0.5);
    expect(f.features.at(-1)).toBeCloseTo(f.unseenNoise, 5);
    const without = f.features.slice();
    without[without.length - 1] = 0;
    expect(student.scoreFeatures(f.features, 'accurate').score).toBeLessThan(student.scoreFeatures(without, 'accurate').score - 0.1);
    expect((await student.features(noisy, 'fast')).features.at(-1)).toBe(0);
    student.dispose();
  }, 60_000);
});
