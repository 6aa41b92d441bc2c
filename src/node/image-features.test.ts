// The one feature path with detail patches, on the shipped backbone: a photo no larger than the global view
// is seen whole (no patches, exactly the plain global-view features, no unseen noise); a large photo adds 1:1
// patches and measures the noise they show, and nothing leaks either way.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { sensorNoise } from '../core/degrade/pixel-ops.ts';
import { mulberry32 } from '../core/distill/random.ts';
import { DEFAULT_TAPS, imageFeatures } from '../core/model/features.ts';
import { DEFAULT_DETAIL, RESIZE_BY_MODE } from '../core/model/preprocess.ts';
import { loadBackboneFromDir } from './backbone-files.ts';
import { hasSharedData, SHARED_DATA } from './datasets.ts';
import { decodeImageFile } from './decode-image.ts';
import { DEFAULT_MODEL_DIR } from './model-dir.ts';
import { initTf } from './tf-runtime.ts';

let backbone: tf.GraphModel;
beforeAll(async () => {
  await initTf();
  backbone = await loadBackboneFromDir(DEFAULT_MODEL_DIR);
});

describe.skipIf(!hasSharedData())('imageFeatures', () => {
  const file = () => {
    const dir = path.join(SHARED_DATA, 'biq2021', 'images');
    return path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith('ss03'))!);
  };
  const spec = RESIZE_BY_MODE.accurate;

  it('sees a 512 px photo whole: no patches, same features as without a detail spec', async () => {
    const px = await decodeImageFile(file());
    const before = tf.memory().numTensors;
    const withDetail = await imageFeatures(backbone, px, spec, DEFAULT_TAPS);
    const plain = await imageFeatures(backbone, px, { fit: spec.fit, size: spec.size }, DEFAULT_TAPS);
    expect(tf.memory().numTensors).toBe(before);
    expect(withDetail.patches).toEqual([]);
    expect(withDetail.unseenNoise).toBe(0);
    expect(Array.from(withDetail.features)).toEqual(Array.from(plain.features));
  });

  it('adds 1:1 patches of a large photo, inside the image, and blends them into the features', async () => {
    const big = await decodeImageFile(await sharp(file()).resize(2400, 2400, { kernel: 'lanczos3' }).png().toBuffer());
    const before = tf.memory().numTensors;
    const detail = await imageFeatures(backbone, big, spec, DEFAULT_TAPS);
    const globalOnly = await imageFeatures(backbone, big, { fit: spec.fit, size: spec.size }, DEFAULT_TAPS);
    expect(tf.memory().numTensors).toBe(before);
    expect(detail.patches).toHaveLength(DEFAULT_DETAIL.count);
    for (const p of detail.patches) {
      expect(p.size).toBe(DEFAULT_DETAIL.size);
      expect(p.x + p.size).toBeLessThanOrEqual(big.width);
      expect(p.y + p.size).toBeLessThanOrEqual(big.height);
    }
    expect(detail.features).toHaveLength(globalOnly.features.length);
    const diff = detail.features.reduce((s, v, i) => s + Math.abs(v - globalOnly.features[i]!), 0);
    expect(diff).toBeGreaterThan(1);
    expect(globalOnly.unseenNoise).toBe(0);
    // Enlarged 4.7x the photo is smooth at 1:1; the same with mild sensor noise shows noise its view hides.
    expect(detail.unseenNoise).toBeLessThan(0.5);
    const noisy = await imageFeatures(backbone, sensorNoise(big, 0.001, 0.003, mulberry32(7)), spec, DEFAULT_TAPS);
    expect(noisy.unseenNoise).toBeGreaterThan(1);
  }, 60_000);
});
