import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CheckpointRefused, loadCheckpoint, saveCheckpoint } from './fine-tune-checkpoint.ts';

const state = () => ({
  step: 7,
  params: new Map<string, tf.Tensor>([
    ['a', tf.tensor2d([1, 2, 3, 4], [2, 2])],
    ['b', tf.tensor1d([0.5, -0.5])],
  ]),
  headWeights: new Float32Array([0.1, 0.2, 0.3]),
  headBias: 3.25,
});

describe('fine-tuning checkpoints', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-ckpt-'));
  const file = path.join(dir, 'run.ckpt');

  it('round-trips a state and returns null when there is none', () => {
    expect(loadCheckpoint(path.join(dir, 'none.ckpt'), 'r1')).toBeNull();
    saveCheckpoint(file, 'r1', state());
    const back = loadCheckpoint(file, 'r1')!;
    expect(back.step).toBe(7);
    expect(back.headBias).toBe(3.25);
    expect(Array.from(back.headWeights)).toEqual(Array.from(new Float32Array([0.1, 0.2, 0.3])));
    expect(back.params.get('a')!.shape).toEqual([2, 2]);
    expect(Array.from(back.params.get('b')!.dataSync())).toEqual([0.5, -0.5]);
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
  });

  it('refuses a checkpoint of another run, a truncated one and a foreign file, each with its reason', () => {
    saveCheckpoint(file, 'r1', state());
    expect(() => loadCheckpoint(file, 'r2')).toThrow(/another run/);
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 5));
    expect(() => loadCheckpoint(file, 'r1')).toThrow(/truncated or damaged/);
    fs.writeFileSync(file, 'PK\u0003\u0004 not a checkpoint');
    expect(() => loadCheckpoint(file, 'r1')).toThrow(CheckpointRefused);
    fs.writeFileSync(file, JSON.stringify({ format: 'something-else', version: 1 }) + '\n');
    expect(() => loadCheckpoint(file, 'r1')).toThrow(/not a LEAF fine-tuning checkpoint/);
  });

  it('refuses non-finite weights', () => {
    const s = state();
    s.params.set('b', tf.tensor1d([Number.NaN, 1]));
    saveCheckpoint(file, 'r1', s);
    expect(() => loadCheckpoint(file, 'r1')).toThrow(/non-finite/);
  });
});
