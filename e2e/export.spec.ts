import fs from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../src/core/data/csv.ts';
import type { JsonExport } from '../src/features/export/to-json.ts';
import { hasData, NO_DATA_MESSAGE, realImages } from './fixtures/images.ts';
import { expect, test } from './fixtures/leaf-test.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

test('Export CSV and Export JSON contain what the screen shows', async ({ leaf, page }) => {
  // File names with spaces and parentheses, as BIQ2021's are; plus one name needing CSV quoting.
  const photos = realImages(8, 500);
  const tricky = path.join(test.info().outputDir, 'beach, "sunset" 1.jpg');
  fs.mkdirSync(path.dirname(tricky), { recursive: true });
  fs.copyFileSync(realImages(1, 520)[0]!, tricky);
  const files = [...photos, tricky];
  await leaf.open();
  await leaf.addFiles(files);
  await leaf.waitSettled(files.length);
  await page.getByTestId('sort').selectOption('score:desc');

  // What the screen shows: card names and score text, in grid order.
  const cards = page.getByTestId('image-card');
  await expect(cards).toHaveCount(files.length);
  const shown = await cards.evaluateAll((els) =>
    els
      .map((el) => ({ name: el.getAttribute('data-name')!, score: el.querySelector('[data-testid=score]')?.textContent ?? '', top: el.getBoundingClientRect().top, left: el.getBoundingClientRect().left }))
      .sort((a, b) => a.top - b.top || a.left - b.left),
  );

  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(csvDownload.suggestedFilename()).toMatch(/\.csv$/);
  const csv = parseCsv(fs.readFileSync((await csvDownload.path())!, 'utf8'));
  const header = csv[0]!;
  expect(header).toEqual(expect.arrayContaining(['name', 'score']));
  const rows = csv.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));
  expect(rows.map((r) => r.name)).toEqual(shown.map((s) => s.name));
  rows.forEach((r, i) => expect(Math.abs(Number(r.score) - Number(shown[i]!.score))).toBeLessThanOrEqual(0.005 + 1e-9));
  expect(rows.map((r) => r.mode)).toEqual(rows.map(() => 'fast'));

  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const json = JSON.parse(fs.readFileSync((await jsonDownload.path())!, 'utf8')) as JsonExport;
  const summary = await leaf.summary();
  expect(json.model).toMatchObject({ name: summary.engine.model!.name, version: summary.engine.model!.version });
  expect(json.backend.name).toBe('wasm');
  expect(json.calibrationProfileId).toBeNull();
  expect(json.mode).toBe('fast');
  expect(json.scale).toEqual({ name: summary.scale!.name, min: summary.scale!.min, max: summary.scale!.max });
  expect(json.images.map((i) => i.name)).toEqual(shown.map((s) => s.name));
  json.images.forEach((img, i) => {
    expect(Math.abs(img.score! - Number(shown[i]!.score))).toBeLessThanOrEqual(0.005 + 1e-9);
    const p = Object.values(img.probs!);
    expect(p).toHaveLength(5);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(img.mode).toBe('fast');
  });
});
