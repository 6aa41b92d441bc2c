import path from 'node:path';
import { hasData, NO_DATA_MESSAGE, realImages } from './fixtures/images.ts';
import { expect, test } from './fixtures/leaf-test.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

test('sort and filter by score, histogram, large view with keys, compare with synced zoom', async ({ leaf, page }) => {
  const photos = realImages(10, 300);
  await leaf.open();
  await leaf.addFiles(photos);
  let state = await leaf.waitSettled(10);

  // Sort: best first. The grid shows the same order as the store's visible list.
  await page.getByTestId('sort').selectOption('score:desc');
  state = await leaf.state();
  const scores = state.images.map((i) => i.score!);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
  const firstCard = page.getByTestId('image-card').first();
  await expect(firstCard).toHaveAttribute('data-name', state.images[0]!.name);

  // Filter: only images at or above the median remain.
  const median = [...scores].sort((a, b) => a - b)[5]!;
  await page.getByTestId('min-score').fill(String(median));
  state = await leaf.state();
  expect(state.images.length).toBeGreaterThan(0);
  for (const img of state.images) expect(img.score!).toBeGreaterThanOrEqual(median);
  await expect(page.getByTestId('image-grid')).toHaveAttribute('data-count', String(state.images.length));
  await page.getByTestId('min-score').fill('');
  await expect(page.getByTestId('image-grid')).toHaveAttribute('data-count', '10');

  // Histogram: one bar per bin, and clicking a bar filters to that bin.
  await expect(page.getByTestId('histogram')).toContainText('n = 10');
  await page.locator('[data-testid=histogram] .bin').filter({ has: page.locator('rect[height]:not([height="0"])') }).first().click();
  state = await leaf.state();
  expect(state.settings.filter.min).not.toBeNull();
  await page.getByRole('button', { name: 'Reset filter' }).click();

  // Large view: opens with the card's score; arrows move through the visible order; Esc closes.
  state = await leaf.state();
  await leaf.card(state.images[0]!.name).getByRole('button', { name: `Open ${state.images[0]!.name}` }).click();
  const large = page.getByTestId('large-view');
  await expect(large).toHaveAttribute('data-name', state.images[0]!.name);
  await expect(large.getByTestId('score')).toHaveText(state.images[0]!.score!.toFixed(2));
  await expect(large.getByTestId('level-bars')).toBeVisible();
  await expect(large.getByTestId('score-mode')).toHaveText('Quick');
  await page.keyboard.press('ArrowRight');
  await expect(large).toHaveAttribute('data-name', state.images[1]!.name);
  await page.keyboard.press('ArrowLeft');
  await expect(large).toHaveAttribute('data-name', state.images[0]!.name);
  await page.keyboard.press('Escape');
  await expect(large).toHaveCount(0);

  // Compare: tick four, open, zoom one pane: all four zoom together.
  const ticked = photos.slice(0, 4).map((p) => path.basename(p));
  for (const name of ticked) await leaf.card(name).getByRole('checkbox').check();
  await expect(page.getByTestId('compare')).toHaveText('Compare (4/4)');
  await page.getByTestId('compare').click();
  const compare = page.getByTestId('compare-view');
  await expect(compare.getByTestId('compare-pane')).toHaveCount(4);
  expect(await compare.getByTestId('compare-pane').evaluateAll((panes) => panes.map((p) => p.getAttribute('data-name')))).toEqual(ticked);
  const pane = compare.getByTestId('compare-pane').first().locator('.compare-stage');
  await pane.hover();
  await page.mouse.wheel(0, -400);
  await expect(compare).not.toHaveAttribute('data-zoom', '1.000');
  const transforms = await compare.getByTestId('compare-image').evaluateAll((imgs) => imgs.map((i) => (i as HTMLElement).style.transform));
  expect(transforms[0]).toContain('scale(');
  expect(new Set(transforms)).toEqual(new Set([transforms[0]]));
  expect(transforms).toHaveLength(4);
  await page.keyboard.press('Escape');
  await expect(compare).toHaveCount(0);
});
