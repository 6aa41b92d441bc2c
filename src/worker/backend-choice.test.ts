import { describe, expect, it } from 'vitest';
import { type Capabilities, explainChoice, needsWebGlProbe, parseBackendParam, planBackends, WEBGL_NOT_PROBED, webGpuUnusableReason } from './backend-choice.ts';

const swiftshader: Capabilities['webgpu'] = { kind: 'adapter', isFallback: true, architecture: 'swiftshader', vendor: 'google', description: '' };
const realGpu: Capabilities['webgpu'] = { kind: 'adapter', isFallback: false, architecture: 'ampere', vendor: 'nvidia', description: 'NVIDIA RTX' };
const caps = (over: Partial<Capabilities> = {}): Capabilities => ({
  webgpu: swiftshader,
  wasm: { available: true, simd: true },
  webgl: { available: true, software: true, renderer: 'ANGLE (SwiftShader)' },
  ...over,
});

describe('backend choice', () => {
  it('probes WebGL only where its facts change the plan: without wasm SIMD, or when WebGL is asked for', () => {
    const simd = { available: true, simd: true };
    expect(needsWebGlProbe(simd, null)).toBe(false);
    expect(needsWebGlProbe(simd, 'wasm')).toBe(false);
    expect(needsWebGlProbe(simd, 'webgl')).toBe(true);
    expect(needsWebGlProbe({ available: true, simd: false }, null)).toBe(true);
    expect(needsWebGlProbe({ available: false, simd: false }, null)).toBe(true);
    // With SIMD the order is the same whatever WebGL turns out to be, so the unprobed stand-in plans the same.
    const webgls: Capabilities['webgl'][] = [WEBGL_NOT_PROBED, { available: true, software: false, renderer: 'Intel' }, { available: true, software: true, renderer: 'SwiftShader' }];
    for (const webgpu of [swiftshader, realGpu]) {
      for (const forced of [null, 'wasm', 'cpu'] as const) {
        const orders = webgls.map((webgl) => planBackends(caps({ webgpu, wasm: simd, webgl }), forced).order);
        expect(orders[1]).toEqual(orders[0]);
        expect(orders[2]).toEqual(orders[0]);
      }
    }
  });

  it('uses WebGPU only on a real adapter', () => {
    expect(planBackends(caps({ webgpu: realGpu }), null).order[0]).toBe('webgpu');
    expect(planBackends(caps(), null).order[0]).toBe('wasm');
  });

  it('rejects software adapters even when not flagged as fallback', () => {
    expect(webGpuUnusableReason({ ...swiftshader, isFallback: false })).toBe('WebGPU unavailable: software adapter (swiftshader)');
    expect(webGpuUnusableReason({ ...realGpu, description: 'llvmpipe (LLVM 15)' })).toContain('software adapter (llvmpipe)');
    expect(webGpuUnusableReason({ kind: 'missing' })).toContain('no navigator.gpu');
    expect(webGpuUnusableReason({ kind: 'no-adapter' })).toBe('WebGPU unavailable: no adapter');
    expect(webGpuUnusableReason(realGpu)).toBeNull();
  });

  it('orders wasm (SIMD), then hardware WebGL, then plain wasm, then software WebGL, then cpu', () => {
    expect(planBackends(caps(), null).order).toEqual(['wasm', 'webgl', 'cpu']);
    expect(planBackends(caps({ webgl: { available: true, software: false, renderer: 'Intel' } }), null).order).toEqual(['wasm', 'webgl', 'cpu']);
    expect(planBackends(caps({ wasm: { available: true, simd: false }, webgl: { available: true, software: false, renderer: 'Intel' } }), null).order).toEqual([
      'webgl',
      'wasm',
      'cpu',
    ]);
    expect(planBackends(caps({ wasm: { available: false, simd: false }, webgl: { available: false, software: false, renderer: '' } }), null).order).toEqual(['cpu']);
  });

  it('tries a forced backend first and keeps the automatic order as fallback', () => {
    const plan = planBackends(caps(), 'webgpu');
    expect(plan.order).toEqual(['webgpu', 'wasm', 'webgl', 'cpu']);
    expect(explainChoice(plan, 'webgpu', [])).toBe('Forced with ?backend=webgpu');
    expect(explainChoice(plan, 'wasm', [{ backend: 'webgpu', reason: 'device lost' }])).toBe(
      '?backend=webgpu was requested but failed to start (device lost); WebGPU unavailable: software adapter (swiftshader)',
    );
  });

  it('explains the automatic choice by what was passed over', () => {
    expect(explainChoice(planBackends(caps(), null), 'wasm', [])).toBe('WebGPU unavailable: software adapter (swiftshader)');
    expect(explainChoice(planBackends(caps({ webgpu: realGpu }), null), 'webgpu', [])).toBe('WebGPU on a hardware adapter');
  });

  it('parses ?backend= and names the valid values on error', () => {
    expect(parseBackendParam(null)).toBeNull();
    expect(parseBackendParam('auto')).toBeNull();
    expect(parseBackendParam('WASM')).toBe('wasm');
    expect(() => parseBackendParam('metal')).toThrow('use one of webgpu, wasm, webgl, cpu');
  });
});
