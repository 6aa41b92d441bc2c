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

export function memoryStats(): { numTensors: number; numBytes: number; wasmHeapBytes: number | null } {
  const m = tf.memory();
  // The wasm backend's linear memory only ever grows: its size is the high-water mark of tensor memory.
  const wasm = (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return { numTensors: m.numTensors, numBytes: m.numBytes, wasmHeapBytes: wasm?.HEAPU8?.length ?? null };
}
