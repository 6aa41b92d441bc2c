// The pool of scoring workers (issue #8 item 3): on a machine with two or more cores the app scores with one
// worker per core, the scores equal a single worker's, and the first worker holds every image's features
// (calibration fits there), including those a secondary worker scored.
import { hasData, NO_DATA_MESSAGE, realImages } from './fixtures/images.ts';
import { expect, test } from './fixtures/leaf-test.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

test('scores with a worker per core, as a single worker would, with every feature vector in the first worker', async ({ leaf, page, browser }) => {
  test.setTimeout(240_000);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  test.skip(cores < 2, 'one core: no pool');
  const files = realImages(16, 400);
  await leaf.open();
  await leaf.addFiles(files);
  const pooled = await leaf.waitSettled(files.length);
  // The pool grows at the first photo that needs the model, so the last worker may still be loading.
  await expect.poll(async () => (await leaf.summary()).engine.workers, { timeout: 30_000 }).toBe(Math.min(cores, 4));
  await expect(page.getByTestId('engine-workers')).toHaveText(`· ${Math.min(cores, 4)} workers`);
  expect(pooled.counts).toMatchObject({ scored: files.length, failed: 0 });
  for (const img of pooled.images) {
    const f = await page.evaluate((id) => window.__leaf!.features(id), img.id);
    expect(f, `features of ${img.name}`).not.toBeNull();
    expect(f!.values.length).toBeGreaterThan(1000);
  }

  // The same photos through one worker, in a fresh context (no score store): the same scores.
  const context = await browser.newContext({ baseURL: new URL(page.url()).origin, serviceWorkers: 'block' });
  try {
    const single = await context.newPage();
    await single.goto('/?workers=1');
    await single.waitForFunction(() => window.__leaf?.summary().engine.status === 'ready', null, { timeout: 120_000 });
    await single.setInputFiles('[data-testid=file-input]', files);
    await single.waitForFunction((n) => !window.__leaf!.summary().run.active && window.__leaf!.summary().counts.scored >= n, files.length, { timeout: 200_000 });
    const one = await single.evaluate(() => window.__leaf!.state());
    expect((await single.evaluate(() => window.__leaf!.summary())).engine.workers).toBe(1);
    const byName = new Map(one.images.map((i) => [i.name, i.raw!]));
    for (const img of pooled.images) expect(img.raw!, img.name).toBeCloseTo(byName.get(img.name)!, 4);
  } finally {
    await context.close();
  }
});
