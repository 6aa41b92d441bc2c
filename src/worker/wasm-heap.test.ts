import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { prefaultWasmHeap } from './wasm-heap.ts';

const heapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;

describe('prefaultWasmHeap', () => {
  // In Node the wasm backend finds its binary itself (the worker's paths are for the browser).
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
  });

  it('grows the wasm heap to hold the bytes asked and gives them back to the allocator', async () => {
    const tensors = tf.memory().numTensors;
    prefaultWasmHeap(48 << 20);
    const after = heapBytes();
    expect(after).toBeGreaterThanOrEqual(48 << 20);
    expect(tf.memory().numTensors).toBe(tensors);
    // Given back: 40 MB of tensor now fits without growing the heap, and holds what was written.
    const big = tf.fill([10 << 20], 2);
    expect(heapBytes()).toBe(after);
    expect([(await tf.min(big).data())[0], (await tf.max(big).data())[0]]).toEqual([2, 2]);
    big.dispose();
  });
});
