// Runs in the "webgpu" project: Chromium with --enable-unsafe-webgpu, where the only adapter here is
// SwiftShader (a software fallback). Slow: WebGPU on SwiftShader takes seconds per image.
import { hasData, NO_DATA_MESSAGE, realImages } from './fixtures/images.ts';
import { expect, LeafPage, test } from './fixtures/leaf-test.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

test('the default stays wasm when the only WebGPU adapter is a software one', async ({ leaf, page }) => {
  const engine = await leaf.open();
  expect(engine.backend!.backend).toBe('wasm');
  await expect(page.getByTestId('backend-reason')).toContainText('WebGPU unavailable: software adapter');
});

test('?backend=webgpu really runs WebGPU and scores like wasm', async ({ leaf, page, browser }) => {
  test.setTimeout(600_000);
  const photos = realImages(2, 900);
  // Compiling WebGPU pipelines on SwiftShader took 15-60 s here, longer while the machine is busy.
  const engine = await leaf.open('?backend=webgpu', 300_000);
  expect(engine.backend!.backend).toBe('webgpu');
  expect(engine.backend!.forced).toBe(true);
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await expect(page.getByTestId('backend-reason')).toContainText('Forced with ?backend=webgpu');
  await leaf.addFiles(photos);
  const gpu = await leaf.waitSettled(2, 420_000);
  const gpuFeatures = await Promise.all(gpu.images.map((i) => page.evaluate((id) => window.__leaf!.features(id), i.id)));

  const wasmPage = await (await browser.newContext()).newPage();
  const wasm = new LeafPage(wasmPage);
  expect((await wasm.open('?backend=wasm')).backend!.backend).toBe('wasm');
  await wasm.addFiles(photos);
  const cpu = await wasm.waitSettled(2);
  const wasmFeatures = await Promise.all(cpu.images.map((i) => wasmPage.evaluate((id) => window.__leaf!.features(id), i.id)));

  for (let k = 0; k < 2; k++) {
    expect(gpu.images[k]!.name).toBe(cpu.images[k]!.name);
    expect(gpu.images[k]!.status).toBe('scored');
    expect(Math.abs(gpu.images[k]!.score! - cpu.images[k]!.score!)).toBeLessThan(1e-3);
    const a = gpuFeatures[k]!.values;
    const b = wasmFeatures[k]!.values;
    expect(a.length).toBe(b.length);
    const scale = Math.max(1, ...b.map(Math.abs));
    const maxDiff = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
    expect(maxDiff / scale, 'max feature difference, relative').toBeLessThan(1e-3);
  }
  await wasmPage.context().close();
});
