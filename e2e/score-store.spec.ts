// Issue #9 item 1: scores are kept per file content in IndexedDB. Reopening a folder after a reload
// scores nothing again: every score, thumbnail and calibration feature comes back exactly, and the large
// view says where the score came from. A file changed since (same name, new content) is scored anew, a
// renamed one is found by its content without running the model, and a score of one mode never stands in
// for the other. Scores kept by the previous layout of the store survive its upgrade.
import fs from 'node:fs';
import path from 'node:path';
import { hasData, NO_DATA_MESSAGE, realImages, tempDir } from './fixtures/images.ts';
import { expect, test } from './fixtures/leaf-test.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

test('reopening a folder after a reload restores every score from the store; a changed file is scored anew', async ({ leaf, page }) => {
  const dir = tempDir('reopen');
  const photos = realImages(7, 500);
  photos.slice(0, 6).forEach((p, i) => fs.copyFileSync(p, path.join(dir, `IMG_000${i + 1}.jpg`)));
  await leaf.open();
  await leaf.addFolder(dir);
  const first = await leaf.waitSettled(6);
  expect(first.images.map((i) => [i.status, i.stored])).toEqual(Array(6).fill(['scored', false]));
  const firstByName = new Map(first.images.map((i) => [i.name, i]));
  const featuresBefore = await page.evaluate((id) => window.__leaf!.features(id), firstByName.get('IMG_0001.jpg')!.id);

  // IMG_0006 gets other content under the same name (and a new modification time, as an edit would give it).
  fs.copyFileSync(photos[6]!, path.join(dir, 'IMG_0006.jpg'));
  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(dir, 'IMG_0006.jpg'), later, later);
  // IMG_0005 is renamed (a copied or renamed file): new identity, same content.
  fs.renameSync(path.join(dir, 'IMG_0005.jpg'), path.join(dir, 'IMG_0005-copy.jpg'));

  await page.reload();
  await leaf.waitReady();
  await leaf.addFolder(dir);
  const second = await leaf.waitSettled(6);
  const byName = new Map(second.images.map((i) => [i.name, i]));
  for (const name of ['IMG_0001.jpg', 'IMG_0002.jpg', 'IMG_0003.jpg', 'IMG_0004.jpg', 'IMG_0005.jpg']) {
    const before = firstByName.get(name)!;
    // The renamed file is found by its content (hashed once, the model not run).
    expect(byName.get(name === 'IMG_0005.jpg' ? 'IMG_0005-copy.jpg' : name)).toMatchObject({ status: 'scored', stored: true, hasThumb: true, raw: before.raw, mode: 'fast', width: before.width, height: before.height });
  }
  expect(byName.get('IMG_0006.jpg')).toMatchObject({ status: 'scored', stored: false });
  // Kept thumbnails are read from the store when their cards show: a real picture, decoded.
  for (const name of ['IMG_0001.jpg', 'IMG_0005-copy.jpg']) {
    const thumb = leaf.card(name).locator('img');
    await expect(thumb).toBeVisible();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  }
  expect(byName.get('IMG_0006.jpg')!.raw).not.toBe(firstByName.get('IMG_0006.jpg')!.raw);
  // Calibration fits on features: the stored ones are the very vectors the model gave.
  const featuresAfter = await page.evaluate((id) => window.__leaf!.features(id), byName.get('IMG_0001.jpg')!.id);
  expect(featuresAfter).toEqual(featuresBefore);

  await leaf.card('IMG_0002.jpg').getByRole('button', { name: 'Open IMG_0002.jpg' }).click();
  await expect(page.getByTestId('score-source')).toContainText('kept from an earlier session');
  await page.keyboard.press('Escape');

  // The other mode is never answered from this mode's scores.
  await page.getByTestId('mode-accurate').click();
  await page.getByTestId('rescore').click();
  await page.waitForFunction(() => window.__leaf!.state().images.every((i) => i.mode === 'accurate' && i.status === 'scored'), null, { timeout: 120_000 });
  expect((await leaf.state()).images.every((i) => !i.stored)).toBe(true);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('scores kept by the previous version of the store (layout 5) survive its upgrade: nothing is scored again', async ({ leaf, page }) => {
  const dir = tempDir('upgrade');
  realImages(3, 700).forEach((p, i) => fs.copyFileSync(p, path.join(dir, `IMG_000${i + 1}.jpg`)));
  await leaf.open();
  await leaf.addFolder(dir);
  const first = await leaf.waitSettled(3);
  expect(first.images.map((i) => i.stored)).toEqual([false, false, false]);
  // The same records, rewritten as layout 5 had them (no 'folders' store), as an older build left them.
  const layout5 = await page.evaluate(async () => {
    const done = <T,>(req: IDBRequest<T>) => new Promise<T>((resolve, reject) => ((req.onsuccess = () => resolve(req.result)), (req.onerror = () => reject(req.error))));
    const stores = ['results', 'thumbs', 'features', 'identities'];
    const db = await done(indexedDB.open('leaf-scores'));
    const kept: Record<string, [IDBValidKey[], unknown[]]> = {};
    for (const name of stores) {
      const store = db.transaction(name).objectStore(name);
      kept[name] = [await done(store.getAllKeys()), await done(store.getAll())];
    }
    db.close();
    await done(indexedDB.deleteDatabase('leaf-scores'));
    const open = indexedDB.open('leaf-scores', 5);
    open.onupgradeneeded = () => {
      for (const name of stores) {
        const store = open.result.createObjectStore(name);
        if (name === 'results') store.createIndex('by-content', 'resultKey');
      }
    };
    const old = await done(open);
    const tx = old.transaction(stores, 'readwrite');
    for (const name of stores) kept[name]![0].forEach((key, i) => tx.objectStore(name).put(kept[name]![1][i], key));
    await new Promise((resolve) => (tx.oncomplete = resolve));
    old.close();
    return { version: old.version, stores: [...old.objectStoreNames].sort(), results: kept.results![0].length };
  });
  expect(layout5).toEqual({ version: 5, stores: ['features', 'identities', 'results', 'thumbs'], results: 3 });

  await page.reload();
  await leaf.waitReady();
  await leaf.addFolder(dir);
  const second = await leaf.waitSettled(3);
  expect(second.images.map((i) => [i.name, i.stored, i.raw])).toEqual(first.images.map((i) => [i.name, true, i.raw]));
  const upgraded = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('leaf-scores');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const out = { version: db.version, stores: [...db.objectStoreNames].sort() };
    db.close();
    return out;
  });
  expect(upgraded).toEqual({ version: 6, stores: ['features', 'folders', 'identities', 'results', 'thumbs'] });
  fs.rmSync(dir, { recursive: true, force: true });
});
