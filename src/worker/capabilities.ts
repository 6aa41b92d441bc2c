// Gathers, once, what this worker's browser offers for inference. backend-choice.ts turns it into a plan.
import { type Capabilities, needsWebGlProbe, WEBGL_NOT_PROBED, type WebGpuProbe } from './backend-choice.ts';
import type { BackendName } from './protocol.ts';

// Smallest module using a v128 instruction: validates only where WebAssembly SIMD exists.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

interface AdapterLike {
  readonly isFallbackAdapter?: boolean;
  readonly info?: { architecture?: string; vendor?: string; description?: string; isFallbackAdapter?: boolean };
}

async function probeWebGpu(): Promise<WebGpuProbe> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { kind: 'missing' };
  try {
    const adapter = (await gpu.requestAdapter({ powerPreference: 'high-performance' })) as (GPUAdapter & AdapterLike) | null;
    if (!adapter) return { kind: 'no-adapter' };
    const info = adapter.info ?? {};
    return {
      kind: 'adapter',
      isFallback: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
      architecture: info.architecture ?? '',
      vendor: info.vendor ?? '',
      description: info.description ?? '',
    };
  } catch (err) {
    return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
  }
}

function probeWasm(): Capabilities['wasm'] {
  if (typeof WebAssembly !== 'object') return { available: false, simd: false };
  let simd = false;
  try {
    simd = WebAssembly.validate(SIMD_PROBE);
  } catch {
    simd = false;
  }
  return { available: true, simd };
}

export function probeWebGl(): Capabilities['webgl'] {
  try {
    if (typeof OffscreenCanvas === 'undefined') return { available: false, software: false, renderer: '' };
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') ?? new OffscreenCanvas(1, 1).getContext('webgl');
    if (!gl) return { available: false, software: false, renderer: '' };
    const renderer = String(gl.getParameter(gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { available: true, software: /swiftshader|llvmpipe|software|basic render/i.test(renderer), renderer };
  } catch {
    return { available: false, software: false, renderer: '' };
  }
}

export async function probeCapabilities(forced: BackendName | null): Promise<Capabilities> {
  const wasm = probeWasm();
  return { webgpu: await probeWebGpu(), wasm, webgl: needsWebGlProbe(wasm, forced) ? probeWebGl() : WEBGL_NOT_PROBED };
}
