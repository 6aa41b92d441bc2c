// Starts one TF.js backend inside the worker. The wasm binaries are bundled and served from our own
// origin (never a CDN). The worker's script holds TF.js's core, its graph executor and the wasm backend (the
// usual choice: loading it on demand made a chain of three fetches before the first score); the others are
// loaded only when tried.
import * as tf from '@tensorflow/tfjs-core';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from './protocol.ts';

async function register(name: BackendName): Promise<void> {
  if (name === 'wasm') {
    // PLATFORM.md: the threaded wasm build hung in a minified bundle; one thread is also the fastest here.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasmBackend.setWasmPaths({
      'tfjs-backend-wasm.wasm': new URL(wasmPlain, self.location.href).href,
      'tfjs-backend-wasm-simd.wasm': new URL(wasmSimd, self.location.href).href,
      'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreaded, self.location.href).href,
    });
  } else if (name === 'webgpu') {
    await import('@tensorflow/tfjs-backend-webgpu');
  } else if (name === 'webgl') {
    await import('@tensorflow/tfjs-backend-webgl');
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
}

/** Resolves with null on success, else with why the backend could not start. */
export async function startBackend(name: BackendName): Promise<string | null> {
  try {
    await register(name);
    if (!tf.findBackendFactory(name)) return `${name} backend is not available in this browser`;
    // setBackend swallows the init error and logs it; capture it for the UI.
    const warn = console.warn;
    const logged: string[] = [];
    console.warn = (...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
      warn(...args);
    };
    try {
      const ok = await tf.setBackend(name);
      if (!ok) {
        const detail = logged.find((l) => !l.startsWith('Initialization of backend'))?.split('\n')[0];
        return detail || `${name} backend failed to initialise`;
      }
    } finally {
      console.warn = warn;
    }
    await tf.ready();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Switching away from a GPU backend with live tensors returned zeros here (PLATFORM.md): drop it fully. */
export function stopBackend(name: BackendName): void {
  try {
    if (tf.findBackend(name)) tf.removeBackend(name);
  } catch {
    // already gone
  }
}

interface WasmModule {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAPU8: Uint8Array;
}

/**
 * Touches `bytes` of the wasm backend's heap once, while the worker would otherwise wait for the model's
 * files, and gives them back to its allocator: the weights and the first image's tensors then land on
 * pages the system has already mapped. A page's first touch is dear in some virtual machines (18-21 µs on
 * the bench machine, `npm run bench:speed` prints it), and the model's load and first image touch ~40 MB of
 * fresh heap; on an ordinary laptop this costs a few milliseconds and saves as much.
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

export function memoryStats(): { numTensors: number; numBytes: number; wasmHeapBytes: number | null } {
  const m = tf.memory();
  // The wasm backend's linear memory only ever grows: its size is the high-water mark of tensor memory.
  const wasm = (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return { numTensors: m.numTensors, numBytes: m.numBytes, wasmHeapBytes: wasm?.HEAPU8?.length ?? null };
}
