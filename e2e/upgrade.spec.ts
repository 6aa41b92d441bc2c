// Issue #10 item 2: a new deploy. The page is served by this test's own server from dist/, so it can hand
// out a changed sw.js (a new precache version, as a rebuild with changed files would) halfway through.
// The open tab must offer a reload rather than reload by itself, keep its scored images until the user
// accepts, and after the reload have its profile and ratings while the old cache is gone.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { hasData, NO_DATA_MESSAGE, realImages } from './fixtures/images.ts';
import { expect, test } from './fixtures/leaf-test.ts';
import { ratingCount, rateKeys } from './fixtures/profiles.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

const PORT = 4175;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const DIST = path.resolve(import.meta.dirname, '..', 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};
test.use({ baseURL: ORIGIN });

/** The built sw.js with its precache version replaced (the manifest sits JSON-escaped inside a string). */
function swWithVersion(version: string): string {
  const code = fs.readFileSync(path.join(DIST, 'sw.js'), 'utf8');
  const re = /(\\"version\\":\\")[0-9a-f]{16}/;
  expect(code, 'dist/sw.js has no precache version: run the build').toMatch(re);
  return code.replace(re, `$1${version}`);
}

function serveDist(sw: { body: string }): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', ORIGIN).pathname).slice(1) || 'index.html';
    const file = path.resolve(DIST, rel);
    if (!file.startsWith(DIST + path.sep) || !fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
    res.end(rel === 'sw.js' ? sw.body : fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(PORT, '127.0.0.1', () => resolve(server)));
}

const cacheNames = (page: import('@playwright/test').Page) => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('leaf-')).sort());

test('a new deploy offers a reload; profiles and ratings survive it and the old cache is deleted', async ({ leaf, page }) => {
  const sw = { body: swWithVersion('0000000000000001') };
  const server = await serveDist(sw);
  try {
    await leaf.open();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    });
    expect(await cacheNames(page)).toEqual(['leaf-0000000000000001']);
    const files = realImages(4, 60);
    await leaf.addFiles(files);
    await leaf.waitSettled(files.length);
    await rateKeys(page, [4, 2]);
    await page.keyboard.press('Escape');
    await page.evaluate(() => ((window as { sameDocument?: boolean }).sameDocument = true));

    // Deploy: the browser finds the changed sw.js, installs it next to the old cache, and the page asks.
    sw.body = swWithVersion('0000000000000002');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toBeVisible();
    await expect(prompt).toContainText('new version');
    // Nothing reloaded by itself: the scored images are still here, served from the old cache.
    expect(await page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect((await leaf.summary()).counts.scored).toBe(files.length);
    expect(await cacheNames(page)).toEqual(['leaf-0000000000000001', 'leaf-0000000000000002']);

    // By keyboard: Tab reaches the Reload button (it takes no focus by itself), Enter reloads into the new version.
    const onReload = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'update-reload');
    for (let i = 0; i < 60 && !(await onReload()); i++) await page.keyboard.press('Tab');
    await expect(page.getByTestId('update-reload')).toBeFocused({ timeout: 1000 });
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    await leaf.waitReady();
    expect(await page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBeUndefined();
    await expect(prompt).toHaveCount(0);
    await expect.poll(() => cacheNames(page)).toEqual(['leaf-0000000000000002']);
    await expect.poll(() => ratingCount(page)).toBe(2);
    // The same images again: the ratings find them and the calibrated scale is back.
    await leaf.addFiles(files);
    await leaf.waitSettled(files.length);
    await page.waitForFunction(() => window.__leaf!.calibration().applied);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
