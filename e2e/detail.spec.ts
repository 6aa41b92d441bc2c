// Full-resolution detail in the app: ten real 6-20 MP photos against their own copies with a 1.5 px blur and
// with light sensor noise at full size (both invisible at 512 px). In Detail mode the original must rank
// above each copy in at least 9 of 10 photos; the large view outlines the 1:1 patches.
import fs from 'node:fs';
import path from 'node:path';
import { HIRES_DIR, HIRES_PHOTOS, hiresPhotosPresent, hiresVariants } from '../src/node/hires-photos.ts';
import { tempDir } from './fixtures/images.ts';
import { expect, test } from './fixtures/leaf-test.ts';

test.skip(!hiresPhotosPresent(), `high-resolution photos not found in ${HIRES_DIR} (npm run photos); skipping`);

test('Detail mode ranks sharp photos above their mildly blurred and mildly noisy copies', async ({ leaf, page }) => {
  test.setTimeout(600_000);
  const dir = tempDir('detail');
  const files: string[] = [];
  for (const photo of HIRES_PHOTOS) {
    const v = await hiresVariants(path.join(HIRES_DIR, photo));
    for (const kind of ['original', 'blur', 'noise'] as const) {
      const file = path.join(dir, `${photo.replace(/\.jpg$/, '')}-${kind}.jpg`);
      fs.writeFileSync(file, v[kind]);
      files.push(file);
    }
  }
  await leaf.open();
  await page.getByTestId('mode-accurate').click();
  await leaf.addFiles(files);
  const state = await leaf.waitSettled(files.length, 540_000);
  const score = (photo: string, kind: string) => state.images.find((i) => i.name === `${photo.replace(/\.jpg$/, '')}-${kind}.jpg`)!;
  let blurWins = 0;
  let noiseWins = 0;
  for (const photo of HIRES_PHOTOS) {
    const original = score(photo, 'original');
    expect(original.status, photo).toBe('scored');
    expect(original.patches, photo).toBe(4);
    if (original.raw! > score(photo, 'blur').raw!) blurWins++;
    if (original.raw! > score(photo, 'noise').raw!) noiseWins++;
  }
  expect(blurWins, 'photos whose original beats its blurred copy').toBeGreaterThanOrEqual(9);
  expect(noiseWins, 'photos whose original beats its noisy copy').toBeGreaterThanOrEqual(9);

  // The large view says how the score was made and shows where it looked.
  const first = path.basename(files[0]!);
  await leaf.card(first).getByRole('button', { name: `Open ${first}` }).click();
  await expect(page.getByTestId('score-mode')).toContainText('Detail + 4 patches at 1:1');
  await expect(page.locator('[data-testid=patch-overlay] rect')).toHaveCount(4);
  // "Why": the noise the whole view hides is named on the noisy copy, not on the original.
  await page.keyboard.press('m');
  await expect(page.getByTestId('quality-map')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('reasons').locator('li[data-kind=noise]')).toHaveCount(0);
  await page.keyboard.press('Escape');
  const noisy = path.basename(files[2]!);
  await leaf.card(noisy).getByRole('button', { name: `Open ${noisy}` }).click();
  await page.keyboard.press('m');
  await expect(page.getByTestId('reasons').locator('li[data-kind=noise]')).toContainText('Noise at 100%', { timeout: 60_000 });
  fs.rmSync(dir, { recursive: true, force: true });
});
