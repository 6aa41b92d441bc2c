// Which TF.js backend to try, in order, given what the browser offers. Pure (no DOM, no TF.js) so the
// rules are unit-tested; capabilities.ts gathers the facts inside the worker.
import { BACKEND_NAMES, type BackendName } from './protocol.ts';

export type WebGpuProbe =
  | { readonly kind: 'missing' }
  | { readonly kind: 'no-adapter' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'adapter'; readonly isFallback: boolean; readonly architecture: string; readonly vendor: string; readonly description: string };

export interface Capabilities {
  readonly webgpu: WebGpuProbe;
  readonly wasm: { readonly available: boolean; readonly simd: boolean };
  /** `software` is true for SwiftShader / llvmpipe style renderers (no real GPU behind WebGL). */
  readonly webgl: { readonly available: boolean; readonly software: boolean; readonly renderer: string };
}

export interface BackendPlan {
  /** Backends to try, best first; the first that initialises wins. */
  readonly order: readonly BackendName[];
  readonly forced: BackendName | null;
  /** Why each faster option was passed over. */
  readonly skipped: readonly { readonly backend: BackendName; readonly reason: string }[];
}

const SOFTWARE_ARCHITECTURES = ['swiftshader', 'llvmpipe', 'lavapipe', 'warp'];

/** null when WebGPU is usable; otherwise the sentence the UI shows. */
export function webGpuUnusableReason(probe: WebGpuProbe): string | null {
  switch (probe.kind) {
    case 'missing':
      return 'WebGPU unavailable: this browser exposes no navigator.gpu';
    case 'no-adapter':
      return 'WebGPU unavailable: no adapter';
    case 'error':
      return `WebGPU unavailable: ${probe.message}`;
    case 'adapter': {
      const arch = probe.architecture.toLowerCase();
      const software = SOFTWARE_ARCHITECTURES.find((s) => arch.includes(s) || probe.description.toLowerCase().includes(s));
      if (probe.isFallback || software) return `WebGPU unavailable: software adapter (${software ?? (probe.architecture || 'fallback')})`;
      return null;
    }
  }
}

/**
 * Whether WebGL's facts (present, software or hardware) can change the plan: only where wasm lacks SIMD or
 * WebGL is asked for. Elsewhere wasm ranks before WebGL whatever the renderer, so the worker does not probe it
 * (a WebGL context makes the GPU process start one, which a demo visitor's first score would wait on).
 */
export function needsWebGlProbe(wasm: Capabilities['wasm'], forced: BackendName | null): boolean {
  return forced === 'webgl' || !(wasm.available && wasm.simd);
}

/** WebGL's facts when not probed: assumed present, so it is still tried (and its failure reported) should every backend before it fail. */
export const WEBGL_NOT_PROBED: Capabilities['webgl'] = { available: true, software: true, renderer: '' };

export function parseBackendParam(value: string | null | undefined): BackendName | null {
  if (value == null || value === '' || value === 'auto') return null;
  const v = value.toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(v)) return v as BackendName;
  throw new Error(`unknown backend "${value}": use one of ${BACKEND_NAMES.join(', ')} (or leave it out to choose automatically)`);
}

/**
 * WebGPU on a real adapter, else wasm with SIMD, else WebGL on real hardware, else wasm without SIMD,
 * else WebGL in software, else pure-JS cpu. A forced backend is tried first; the automatic order follows
 * it as the fallback should it fail to initialise.
 */
export function planBackends(caps: Capabilities, forced: BackendName | null): BackendPlan {
  const skipped: { backend: BackendName; reason: string }[] = [];
  const auto: BackendName[] = [];
  const gpuReason = webGpuUnusableReason(caps.webgpu);
  if (gpuReason === null) auto.push('webgpu');
  else skipped.push({ backend: 'webgpu', reason: gpuReason });

  if (caps.wasm.available && caps.wasm.simd) auto.push('wasm');
  if (caps.webgl.available && !caps.webgl.software) auto.push('webgl');
  if (caps.wasm.available && !caps.wasm.simd) {
    auto.push('wasm');
    skipped.push({ backend: 'wasm', reason: 'WebAssembly SIMD unavailable: plain wasm is slower' });
  }
  if (caps.webgl.available && caps.webgl.software) auto.push('webgl');
  if (!caps.wasm.available) skipped.push({ backend: 'wasm', reason: 'WebAssembly unavailable' });
  if (!caps.webgl.available) skipped.push({ backend: 'webgl', reason: 'WebGL unavailable in a worker' });
  auto.push('cpu');

  if (forced) return { order: [forced, ...auto.filter((b) => b !== forced)], forced, skipped };
  return { order: auto, forced: null, skipped };
}

/** The sentence under the backend name: why this one runs. */
export function explainChoice(plan: BackendPlan, chosen: BackendName, failures: readonly { backend: BackendName; reason: string }[]): string {
  if (plan.forced === chosen) return `Forced with ?backend=${chosen}`;
  const parts = failures.map((f) =>
    f.backend === plan.forced ? `?backend=${f.backend} was requested but failed to start (${f.reason})` : `${f.backend} failed to start (${f.reason})`,
  );
  for (const s of plan.skipped) if (rank(s.backend) < rank(chosen)) parts.push(s.reason);
  if (parts.length === 0) parts.push(chosen === 'webgpu' ? 'WebGPU on a hardware adapter' : 'Fastest backend available');
  return parts.join('; ');
}

function rank(b: BackendName): number {
  return BACKEND_NAMES.indexOf(b);
}
