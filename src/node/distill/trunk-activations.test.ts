// Fine-tuning trains on cached trunk activations and fills the fine-tuned backbone's Quick features from
// them; both are only sound if trunk + top gives the features the one feature path gives.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { forEachTopFeatureRow } from '../../core/distill/fine-tune-top.ts';
import { BACKBONE_SCOPE, DEFAULT_TAPS, imageFeatures } from '../../core/model/features.ts';
import { RESIZE_BY_MODE } from '../../core/model/preprocess.ts';
import { topParamsFromGraph, trunkGrid } from '../../core/model/top-blocks.ts';
import { loadBackboneFromDir } from '../backbone-files.ts';
import { hasSharedData, SHARED_DATA } from '../datasets.ts';
import { decodeImageFile } from '../decode-image.ts';
import { DEFAULT_MODEL_DIR } from '../model-dir.ts';
import { initTf } from '../tf-runtime.ts';
import { FROZEN_DIMS } from './fine-tune.ts';
import { trunkActivation, trunkRowLength } from './trunk-activations.ts';

let backbone: tf.GraphModel;
beforeAll(async () => {
  await initTf();
  backbone = await loadBackboneFromDir(DEFAULT_MODEL_DIR);
});

describe.skipIf(!hasSharedData())('trunk activations + top blocks', () => {
  it('give the Quick features of the one feature path within 1e-4, for a photo and an AI-generated image', async () => {
    const files = ['biq2021', 'agiqa3k'].map((ds) => {
      const dir = path.join(SHARED_DATA, ds, 'images');
      return path.join(dir, fs.readdirSync(dir).sort()[3]!);
    });
    const spec = RESIZE_BY_MODE.fast;
    const params = topParamsFromGraph(backbone.weights as Record<string, tf.Tensor[]>, BACKBONE_SCOPE);
    const before = tf.memory().numTensors;
    for (const file of files) {
      const px = await decodeImageFile(file);
      const reference = (await imageFeatures(backbone, px, spec, DEFAULT_TAPS)).features;
      const trunk = await trunkActivation(backbone, px, spec);
      expect(trunk).toHaveLength(trunkRowLength(spec));
      const rows = { count: 1, grid: trunkGrid(spec), frozenDims: FROZEN_DIMS, trunk: () => trunk, frozen: () => reference.subarray(0, FROZEN_DIMS) };
      let ours = new Float32Array();
      forEachTopFeatureRow(params, rows, (_r, f) => (ours = f.slice()));
      expect(ours).toHaveLength(reference.length);
      let maxDiff = 0;
      for (let i = FROZEN_DIMS; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - reference[i]!));
      expect(maxDiff).toBeLessThan(1e-4);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...params.values()]);
  }, 60_000);

  it('refuses a view the trunk cache cannot hold', () => {
    expect(() => trunkRowLength(RESIZE_BY_MODE.accurate)).toThrow(/square view/);
  });
});
