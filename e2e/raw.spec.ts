// Issue #9 item 7: RAW files are scored by the JPEG preview the camera embedded (no sensor decode): the
// same score as that JPEG on its own, upright when only the RAW container records the orientation, its
// size shown; a RAW file with only a thumbnail gets a specific message. Containers are built by the test
// around a real photo (no sample RAW files exist in the reachable packages).
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { hasData, NO_DATA_MESSAGE, realImages, tempDir } from './fixtures/images.ts';
import { expect, test } from './fixtures/leaf-test.ts';
import { cr3Raw, rafRaw, tiffRaw } from './fixtures/raw-containers.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

test('RAW files in a folder are scored by their embedded previews', async ({ leaf, page }) => {
  const [photo] = realImages(1, 700);
  const preview = new Uint8Array(await sharp(photo!).resize(1200, 800, { fit: 'fill' }).jpeg({ quality: 92 }).toBuffer());
  const thumb = new Uint8Array(await sharp(photo!).resize(160, 120, { fit: 'fill' }).jpeg().toBuffer());
  const dir = tempDir('raw');
  const files: Record<string, Uint8Array> = {
    'camera-preview.jpg': preview,
    'IMG_0001.NEF': tiffRaw({ kind: 'nef', preview, thumb, bigEndian: true }),
    'IMG_0002.CR3': cr3Raw(preview, thumb),
    'IMG_0003.RAF': rafRaw(preview),
    'IMG_0004.DNG': tiffRaw({ kind: 'dng', preview, thumb, orientation: 6 }),
    'DSC_0005.ARW': tiffRaw({ kind: 'arw', thumb }),
  };
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);

  await leaf.open();
  await leaf.addFolder(dir);
  const state = await leaf.waitSettled(6);
  const byName = new Map(state.images.map((i) => [i.name, i]));
  const jpeg = byName.get('camera-preview.jpg')!;
  expect(jpeg).toMatchObject({ status: 'scored', width: 1200, height: 800, format: 'jpeg' });
  for (const [name, format] of [
    ['IMG_0001.NEF', 'NEF preview'],
    ['IMG_0002.CR3', 'CR3 preview'],
    ['IMG_0003.RAF', 'RAF preview'],
  ] as const) {
    expect(byName.get(name)).toMatchObject({ status: 'scored', width: 1200, height: 800, format, raw: jpeg.raw });
  }
  // Portrait: the DNG records orientation 6 and its preview none, so the preview is turned upright.
  expect(byName.get('IMG_0004.DNG')).toMatchObject({ status: 'scored', width: 800, height: 1200, format: 'DNG preview' });
  expect(byName.get('DSC_0005.ARW')).toMatchObject({
    status: 'failed',
    error: { code: 'unsupported', message: 'ARW file whose embedded preview is only 160x120: too small to judge its quality (export a JPEG from your RAW editor)' },
  });

  // The large view shows the preview (browsers cannot show RAW), upright.
  const large = page.getByTestId('large-view');
  const shown = () => large.locator('img').evaluate((img: HTMLImageElement) => (img.complete ? [img.naturalWidth, img.naturalHeight] : null));
  await leaf.card('IMG_0001.NEF').getByRole('button', { name: 'Open IMG_0001.NEF' }).click();
  await expect(large).toContainText('NEF preview');
  await expect(large).toContainText('1200×800');
  await expect.poll(shown).toEqual([1200, 800]);
  await page.keyboard.press('Escape');
  await leaf.card('IMG_0004.DNG').getByRole('button', { name: 'Open IMG_0004.DNG' }).click();
  await expect(large).toContainText('DNG preview');
  await expect.poll(shown).toEqual([800, 1200]);
  fs.rmSync(dir, { recursive: true, force: true });
});
