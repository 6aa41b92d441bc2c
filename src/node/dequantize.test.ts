import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeWeights } from '../core/model/dequantize.ts';
import { initTf } from './tf-runtime.ts';

type Spec = tf.io.WeightsManifestEntry;

// Odd lengths put the uint16 weight at an odd byte offset, which a Uint16Array view cannot start at.
const specs: Spec[] = [
  { name: 'a', shape: [3, 5], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.0434431824, min: -6.2558182 } },
  { name: 'b', shape: [7], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.00012345, min: -1.5 } },
  { name: 'c', shape: [2, 2, 2], dtype: 'float32', quantization: { dtype: 'uint8', scale: 1 / 255, min: 0 } },
];

function weightBytes(): ArrayBuffer {
  const bytes = new Uint8Array(15 + 14 + 8);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 97 + 13) % 256;
  return bytes.buffer;
}

async function decoded(map: tf.NamedTensorMap): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(map)) out[name] = Array.from(await t.data());
  return out;
}

describe('decodeWeights (in place on the wasm heap)', () => {
  beforeAll(() => initTf('wasm'));

  it('gives the same float32 values and shapes as TF.js decodeWeights', async () => {
    const ours = decodeWeights(weightBytes(), specs);
    const theirs = tf.io.decodeWeights(weightBytes(), specs);
    for (const s of specs) expect(ours[s.name]!.shape).toEqual(s.shape);
    expect(await decoded(ours)).toEqual(await decoded(theirs));
    tf.dispose([...Object.values(ours), ...Object.values(theirs)]);
  });

  it('leaves no tensor behind when the file is too short, and says which weight ran out', () => {
    const before = tf.memory().numTensors;
    expect(() => decodeWeights(weightBytes().slice(0, 20), specs)).toThrow(/weight "b" runs past the end/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('hands weights of other encodings to TF.js', async () => {
    const plain: Spec[] = [{ name: 'f', shape: [2], dtype: 'float32' }];
    const map = decodeWeights(new Float32Array([1.5, -2]).buffer, plain);
    expect(Array.from(await map.f!.data())).toEqual([1.5, -2]);
    tf.dispose(map.f!);
  });
});
