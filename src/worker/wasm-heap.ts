// The wasm backend's heap, touched ahead of need. Apart from backends.ts (which names the browser's wasm
// paths) so that Node can test it.
import * as tf from '@tensorflow/tfjs-core';

interface WasmModule {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAPU8: Uint8Array;
}

/**
 * Touches `bytes` of the wasm backend's heap once, while the model's files download, and gives them back to
 * its allocator: the weights and the first image's tensors then land on pages the system has already
 * mapped. A page's first touch is dear in some virtual machines (17-25 µs on the bench machine; `npm run
 * bench:speed` prints it), and the heap grows from its first 16 MB to 58 MB by the first score (the same
 * bench). Where the files arrive first, this is on the way to the first score, but those pages would be
 * touched then anyway; where a first touch is cheap, it costs little and saves as much.
 */
export function prefaultWasmHeap(bytes: number): void {
  const wasm = (tf.backend() as { wasm?: Partial<WasmModule> }).wasm;
  if (typeof wasm?._malloc !== 'function' || typeof wasm._free !== 'function') return;
  const start = wasm._malloc(bytes) >>> 0;
  if (start === 0) return;
  // Read after the allocation: growing the heap replaces its buffer.
  const heap = wasm.HEAPU8!;
  for (let i = start; i < start + bytes; i += 4096) heap[i] = 0;
  wasm._free(start);
}
