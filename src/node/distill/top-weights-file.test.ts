import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKBONE_SCOPE } from '../../core/model/features.ts';
import { loadBackboneFromDir } from '../backbone-files.ts';
import { DEFAULT_MODEL_DIR } from '../model-dir.ts';
import { initTf } from '../tf-runtime.ts';
import { quantiseUint8, writeBackboneWithWeights } from './top-weights-file.ts';

beforeAll(async () => {
  await initTf();
});

describe('writing fine-tuned weights into the backbone file', () => {
  it('quantises to uint8 within half a step', () => {
    const v = new Float32Array([-1.5, 0, 0.3, 2.25, 1e-3]);
    const q = quantiseUint8(v);
    v.forEach((x, i) => expect(Math.abs(q.bytes[i]! * q.scale + q.min - x)).toBeLessThanOrEqual(q.scale / 2 + 1e-7));
    expect(() => quantiseUint8(new Float32Array([1, Number.NaN]))).toThrow(/non-finite/);
  });

  it('replaces only the named tensors, and the graph loads with the new values', async () => {
    const from = DEFAULT_MODEL_DIR;
    const to = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-bb-'));
    const base = await loadBackboneFromDir(from);
    const name = 'Conv_1/Conv2D_bn_offset';
    const original = (base.weights as Record<string, tf.Tensor[]>)[BACKBONE_SCOPE + name]![0]!.dataSync() as Float32Array;
    const shifted = original.map((x) => x + 0.25);
    writeBackboneWithWeights(from, to, new Map([[name, shifted]]), 'test');
    const tuned = await loadBackboneFromDir(to);
    const back = (tuned.weights as Record<string, tf.Tensor[]>)[BACKBONE_SCOPE + name]![0]!.dataSync() as Float32Array;
    const step = (Math.max(...shifted) - Math.min(...shifted)) / 255;
    back.forEach((x, i) => expect(Math.abs(x - shifted[i]!)).toBeLessThanOrEqual(step / 2 + 1e-6));
    const other = 'expanded_conv_16/project/Conv2D_weights';
    const a = (base.weights as Record<string, tf.Tensor[]>)[BACKBONE_SCOPE + other]![0]!.dataSync();
    const b = (tuned.weights as Record<string, tf.Tensor[]>)[BACKBONE_SCOPE + other]![0]!.dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(fs.statSync(path.join(to, 'backbone.bin')).size).toBe(fs.statSync(path.join(from, 'backbone.bin')).size);
    base.dispose();
    tuned.dispose();
  });

  it('refuses unknown tensors and wrong sizes', () => {
    const from = DEFAULT_MODEL_DIR;
    const to = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-bb-'));
    expect(() => writeBackboneWithWeights(from, to, new Map([['nope/weights', new Float32Array(3)]]), 't')).toThrow(/no weights named nope/);
    expect(() => writeBackboneWithWeights(from, to, new Map([['Conv_1/Conv2D_bn_offset', new Float32Array(3)]]), 't')).toThrow(/3 values, the graph expects 1792/);
  });
});
