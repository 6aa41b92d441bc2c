// The worker's script holds the wasm backend only; WebGL and pure-JS cpu load their code when tried. Forcing
// each must still load it and score a photo like wasm does (the same features, to float tolerance).
import { hasData, NO_DATA_MESSAGE, realImages } from './fixtures/images.ts';
import { expect, LeafPage, test } from './fixtures/leaf-test.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

test('?backend=webgl and ?backend=cpu load their code on demand and score like wasm', async ({ leaf, browser }) => {
  test.setTimeout(300_000);
  const [photo] = realImages(1, 1200);
  expect((await leaf.open('?backend=wasm')).backend!.backend).toBe('wasm');
  await leaf.addFiles([photo!]);
  const reference = (await leaf.waitSettled(1)).images[0]!;
  expect(reference.status).toBe('scored');
  for (const backend of ['webgl', 'cpu'] as const) {
    const page = await (await browser.newContext()).newPage();
    const other = new LeafPage(page);
    const engine = await other.open(`?backend=${backend}`, 120_000);
    expect(engine.backend!.backend).toBe(backend);
    expect(engine.backend!.forced).toBe(true);
    await other.addFiles([photo!]);
    const scored = (await other.waitSettled(1, 120_000)).images[0]!;
    expect(scored.status, `${backend}: ${JSON.stringify(scored.error)}`).toBe('scored');
    expect(Math.abs(scored.score! - reference.score!)).toBeLessThan(1e-3);
    await page.context().close();
  }
});
