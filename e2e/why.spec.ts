// Issue #9 item 4: "Why this score?" in the large view. The quality map (cells of the Detail view scored by
// the Detail head) drops where a real photo was blurred, against the same photo intact; the reasons name
// only what is measured on the file: strong JPEG compression (its quantisation table) and blown highlights
// (counted pixels), and nothing for a clean photo.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { hasData, NO_DATA_MESSAGE, realImages, tempDir } from './fixtures/images.ts';
import { expect, type LeafPage, test } from './fixtures/leaf-test.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

async function openWhy(leaf: LeafPage, page: Page, name: string) {
  await leaf.card(name).getByRole('button', { name: `Open ${name}` }).click();
  await page.keyboard.press('m');
  await expect(page.getByTestId('quality-map')).toBeVisible({ timeout: 60_000 });
  const cells = await page.getByTestId('quality-cell').evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-score'))));
  const cols = Number(await page.getByTestId('quality-map').getAttribute('data-cols'));
  return { cells, cols };
}

const leftMinusRight = ({ cells, cols }: { cells: number[]; cols: number }) => {
  const mean = (keep: (c: number) => boolean) => {
    const xs = cells.filter((_, i) => keep(i % cols));
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  return mean((c) => c < cols / 2) - mean((c) => c >= cols / 2);
};

test('the quality map shows a blurred half; reasons name compression and blown highlights, nothing on a clean photo', async ({ leaf, page }) => {
  const [photo] = realImages(1, 903);
  const dir = tempDir('why');
  const { width = 0, height = 0 } = await sharp(photo!).metadata();
  const leftBlurred = await sharp(photo!).extract({ left: 0, top: 0, width: Math.floor(width / 2), height }).blur(4).png().toBuffer();
  fs.writeFileSync(path.join(dir, 'intact.png'), await sharp(photo!).png().toBuffer());
  fs.writeFileSync(path.join(dir, 'left-blurred.png'), await sharp(photo!).composite([{ input: leftBlurred, left: 0, top: 0 }]).png().toBuffer());
  fs.writeFileSync(path.join(dir, 'clean.jpg'), await sharp(photo!).jpeg({ quality: 95 }).toBuffer());
  fs.writeFileSync(path.join(dir, 'compressed.jpg'), await sharp(photo!).jpeg({ quality: 25 }).toBuffer());
  fs.writeFileSync(path.join(dir, 'overexposed.jpg'), await sharp(photo!).linear(3, 40).jpeg({ quality: 95 }).toBuffer());

  await leaf.open();
  await leaf.addFolder(dir);
  await leaf.waitSettled(5);

  const intact = await openWhy(leaf, page, 'intact.png');
  expect(intact.cells).toHaveLength(16);
  await page.keyboard.press('Escape');
  const blurred = await openWhy(leaf, page, 'left-blurred.png');
  expect(leftMinusRight(blurred) - leftMinusRight(intact)).toBeLessThan(-0.2);
  await page.keyboard.press('Escape');

  await openWhy(leaf, page, 'clean.jpg');
  await expect(page.getByTestId('reasons-none')).toBeVisible();
  await page.keyboard.press('Escape');
  await openWhy(leaf, page, 'compressed.jpg');
  await expect(page.getByTestId('reasons').locator('li[data-kind=compression]')).toHaveText('Strong JPEG compression: saved at about quality 25 of 100');
  await page.keyboard.press('Escape');
  await openWhy(leaf, page, 'overexposed.jpg');
  await expect(page.getByTestId('reasons').locator('li[data-kind=highlights]')).toContainText('Blown highlights:');
  // M again hides the map.
  await page.keyboard.press('m');
  await expect(page.getByTestId('quality-map')).toHaveCount(0);
  fs.rmSync(dir, { recursive: true, force: true });
});
