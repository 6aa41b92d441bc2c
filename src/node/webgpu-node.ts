// Gives Node a WebGPU implementation (Dawn, from the npm package `webgpu`) so the same
// tfjs-backend-webgpu the app uses runs outside a browser, e.g. on a GPU server. Must run before
// '@tensorflow/tfjs-backend-webgpu' is imported: that module registers itself only when navigator.gpu exists.

export interface GpuAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
}

export async function installNodeWebGpu(): Promise<GpuAdapterInfo> {
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (!g.navigator?.gpu) {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    const gpu = create([]);
    if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
    else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  }
  const adapter = await g.navigator!.gpu!.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('WebGPU: no adapter (no GPU with a Vulkan/Metal/D3D12 driver was found by Dawn)');
  const { vendor, architecture, device, description } = adapter.info;
  return { vendor, architecture, device, description };
}
