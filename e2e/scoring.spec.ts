import path from 'node:path';
import fs from 'node:fs';
import { brokenFiles, formatSet, hasData, hugeImage, NO_DATA_MESSAGE, realImages, rotatedJpeg, tempDir, AGIQA_DIR } from './fixtures/images.ts';
import { expect, test } from './fixtures/leaf-test.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

test('scores real photos locally on wasm, the default here, and says why', async ({ leaf, page }) => {
  const engine = await leaf.open();
  expect(engine.backend!.backend).toBe('wasm');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await expect(page.getByTestId('backend-reason')).toContainText('WebGPU unavailable');

  const photos = [...realImages(12), ...realImages(6, 0, AGIQA_DIR)];
  await leaf.addFiles(photos);
  const state = await leaf.waitSettled(photos.length);
  expect(state.counts).toMatchObject({ total: photos.length, scored: photos.length, failed: 0 });
  for (const img of state.images) {
    expect(img.score).not.toBeNull();
    expect(img.score!).toBeGreaterThanOrEqual(1);
    expect(img.score!).toBeLessThanOrEqual(5);
    expect(img.mode).toBe('fast');
  }
  expect(state.images.map((i) => i.name)).toEqual(photos.map((p) => path.basename(p)));
  expect(state.run.imagesPerSecond).toBeGreaterThan(0);
  await expect(page.getByTestId('images-per-second')).toContainText('images/s');
  await expect(page.getByTestId('histogram')).toContainText(`n = ${photos.length}`);
  await expect(leaf.card(path.basename(photos[0]!)).getByTestId('score')).toBeVisible();
});

test('decodes PNG, WebP, GIF and AVIF, and respects EXIF orientation', async ({ leaf }) => {
  const dir = tempDir('formats');
  const [src] = realImages(1, 20);
  const formats = await formatSet(src!, dir);
  const rotated = await rotatedJpeg(src!, dir);
  await leaf.open();
  await leaf.addFiles([...formats, rotated.file]);
  const state = await leaf.waitSettled(5);
  for (const img of state.images) expect(img.status, `${img.name}: ${img.error?.message}`).toBe('scored');
  const r = state.images.find((i) => i.name === 'rotated-exif6.jpg')!;
  // Stored 480x300 with orientation 6: the model sees it upright, 300 wide and 480 tall.
  expect([r.width, r.height]).toEqual([rotated.stored.height, rotated.stored.width]);
});

test('broken, empty, mislabelled and huge files get a clear per-file result and never stop the batch', async ({ leaf, page }) => {
  test.setTimeout(300_000);
  const dir = tempDir('broken');
  const real = realImages(3, 40);
  const broken = brokenFiles(dir);
  const huge = await hugeImage(real[0]!, dir);
  await leaf.open();
  await leaf.addFiles([real[0]!, broken.corrupt, real[1]!, broken.empty, broken.text, huge, real[2]!]);
  const state = await leaf.waitSettled(7);
  const by = (name: string) => state.images.find((i) => i.name === name)!;

  for (const p of real) expect(by(path.basename(p)).status).toBe('scored');
  expect(by('corrupt.jpg')).toMatchObject({ status: 'failed', error: { code: 'decode-failed' } });
  expect(by('empty.jpg')).toMatchObject({ status: 'failed', error: { code: 'empty' } });
  expect(by('notes.jpg')).toMatchObject({ status: 'failed', error: { code: 'not-image' } });
  const h = by(path.basename(huge));
  expect(h.status).toBe('scored');
  expect(h.downscaledFrom).toEqual({ width: 10000, height: 10000 });
  expect(Math.max(h.width!, h.height!)).toBeLessThanOrEqual(4096);

  await expect(leaf.card('corrupt.jpg').getByTestId('error-badge')).toContainText('Cannot decode');
  await expect(leaf.card('empty.jpg').getByTestId('error-badge')).toContainText('Empty file');
  await expect(leaf.card('notes.jpg').getByTestId('error-badge')).toContainText('Not an image');
  await expect(leaf.card(path.basename(huge)).getByTestId('downscaled-badge')).toBeVisible();
  await expect(page.getByTestId('counts')).toContainText('3 failed');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the accurate setting is recorded per score, and images can be rescored in the other mode', async ({ leaf, page }) => {
  const photos = realImages(3, 60);
  await leaf.open();
  await page.getByTestId('mode-accurate').click();
  await leaf.addFiles(photos);
  let state = await leaf.waitSettled(3);
  expect(state.images.map((i) => i.mode)).toEqual(['accurate', 'accurate', 'accurate']);

  await page.getByTestId('mode-fast').click();
  await page.getByTestId('rescore').click();
  await page.waitForFunction(() => window.__leaf!.state().images.every((i) => i.mode === 'fast' && i.status === 'scored'), null, { timeout: 120_000 });
  state = await leaf.state();
  expect(state.counts.scored).toBe(3);
});

test('Cancel stops a running batch; the rest are marked cancelled', async ({ leaf, page }) => {
  const photos = realImages(40, 100);
  await leaf.open();
  await leaf.addFiles(photos);
  await page.waitForFunction(() => window.__leaf!.summary().counts.scored >= 3, null, { timeout: 120_000 });
  await page.getByTestId('cancel').click();
  const state = await leaf.waitSettled(40);
  expect(state.counts.cancelled).toBeGreaterThan(0);
  expect(state.counts.scored + state.counts.cancelled).toBe(40);
  expect(state.run.cancelled).toBe(true);
  await expect(page.getByTestId('cancel')).toHaveCount(0);
});

test('a picked folder adds its images with their paths and skips non-image files', async ({ leaf }) => {
  const dir = tempDir('folder');
  const album = path.join(dir, 'album');
  fs.mkdirSync(album);
  for (const p of realImages(3, 200)) fs.copyFileSync(p, path.join(album, path.basename(p)));
  fs.writeFileSync(path.join(album, 'readme.txt'), 'not an image');
  await leaf.open();
  await leaf.addFolder(album);
  const state = await leaf.waitSettled(3);
  expect(state.counts).toMatchObject({ total: 3, scored: 3 });
  for (const img of state.images) expect(img.path).toBe(`album/${img.name}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a model that cannot be loaded is reported, and added files fail with the reason', async ({ leaf, page }) => {
  await page.goto('/?model=no-such-model');
  await page.waitForFunction(() => window.__leaf !== undefined && window.__leaf.summary().engine.status === 'failed');
  await expect(page.getByTestId('engine-status')).toContainText('cannot load model file manifest.json');
  await leaf.addFiles(realImages(2, 800));
  const state = await leaf.waitSettled(2);
  expect(state.counts.failed).toBe(2);
  expect(state.images[0]!.error!.message).toContain('scoring engine is unavailable');
});
