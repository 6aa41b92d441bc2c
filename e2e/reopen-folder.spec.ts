// Issue #9 item 1: a folder opened with "Open folder…" (File System Access) is offered back on the drop zone
// after a reload: one click reads it again (no picker), every score comes from the store, every decision is
// restored, and sidecars still go next to the originals; a file edited since is scored again, a new one
// scored. A folder gone since is named and forgotten.
// Playwright cannot drive the native picker, so the picker returns a real directory handle from the
// origin-private file system, filled with real photos (as in culling.spec.ts).
import fs from 'node:fs';
import { hasData, NO_DATA_MESSAGE, realImages } from './fixtures/images.ts';
import { expect, test } from './fixtures/leaf-test.ts';
import { standInFolderPicker } from './fixtures/folder-picker.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

test('the last opened folder comes back in one click after a reload, scores and decisions with it, edited and new files scored; a vanished one is named and forgotten', async ({ leaf, page }) => {
  const photos = realImages(5, 330).map((p) => [...fs.readFileSync(p)]);
  await standInFolderPicker(page, 'shoot');
  await leaf.open();
  // Nothing opened yet: nothing offered.
  await expect(page.getByTestId('reopen-folder')).toHaveCount(0);
  await page.evaluate(async (photos) => {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry('shoot', { recursive: true }).catch(() => {});
    const dir = await root.getDirectoryHandle('shoot', { create: true });
    const sub = await dir.getDirectoryHandle('day2', { create: true });
    const write = async (d: FileSystemDirectoryHandle, name: string, data: number[]) => {
      const w = await (await d.getFileHandle(name, { create: true })).createWritable();
      await w.write(new Uint8Array(data));
      await w.close();
    };
    await write(dir, 'A.jpg', photos[0]!);
    await write(dir, 'B.jpg', photos[1]!);
    await write(sub, 'C.jpg', photos[2]!);
  }, photos);
  await page.getByTestId('open-folder').click();
  const first = await leaf.waitSettled(3);
  expect(first.images.map((i) => [i.path, i.stored])).toEqual([
    ['shoot/A.jpg', false],
    ['shoot/B.jpg', false],
    ['shoot/day2/C.jpg', false],
  ]);
  await page.waitForFunction(() => window.__leaf!.culling().restored);
  await page.getByTestId('sort').selectOption('name:asc');
  await page.getByTestId('cull').click();
  await page.keyboard.press('4');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('x');
  await page.keyboard.press('Escape');
  const decisions = (await page.evaluate(() => window.__leaf!.culling())).decisions;
  expect(Object.keys(decisions).sort()).toEqual(['A.jpg', 'B.jpg']);

  // Meanwhile, in the photographer's editor: B is saved with other pixels, and D joins the folder.
  await page.evaluate(async (photos) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('shoot');
    for (const [name, data] of [['B.jpg', photos[3]!], ['D.jpg', photos[4]!]] as const) {
      const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
      await w.write(new Uint8Array(data));
      await w.close();
    }
  }, photos);
  await page.reload();
  await leaf.waitReady();
  const offer = page.getByTestId('reopen-folder');
  await expect(offer).toHaveText('Reopen “shoot”');
  await expect(page.locator('.reopen-folder')).toContainText('3 images · opened');
  await offer.click();
  const second = await leaf.waitSettled(4);
  // The kept scores show before the files are read; reading them finds B changed (scored again) and D new.
  expect(second.images.map((i) => [i.path, i.status, i.stored])).toEqual([
    ['shoot/A.jpg', 'scored', true],
    ['shoot/B.jpg', 'scored', false],
    ['shoot/D.jpg', 'scored', false],
    ['shoot/day2/C.jpg', 'scored', true],
  ]);
  const rawOf = (snap: typeof first, path: string) => snap.images.find((i) => i.path === path)!.raw;
  expect(['shoot/A.jpg', 'shoot/day2/C.jpg'].map((p) => rawOf(second, p))).toEqual(['shoot/A.jpg', 'shoot/day2/C.jpg'].map((p) => rawOf(first, p)));
  expect(rawOf(second, 'shoot/B.jpg')).not.toBe(rawOf(first, 'shoot/B.jpg'));
  await page.waitForFunction(() => window.__leaf!.culling().restored);
  // A's decision is back; B's belonged to its old pixels.
  expect((await page.evaluate(() => window.__leaf!.culling())).decisions).toEqual({ 'A.jpg': decisions['A.jpg'] });
  // Still the writable folder: sidecars go next to the originals.
  await page.getByTestId('cull').click();
  await page.locator('summary', { hasText: 'Write XMP sidecars' }).click();
  await page.getByTestId('write-sidecars').click();
  await expect(page.getByTestId('cull-notice')).toContainText('next to the originals');
  await page.keyboard.press('Escape');

  // Twice more: the first reads the folder's kept scores as a key range and keeps them together, the second
  // reads them as that one value; both give back the same scores and decisions, all from the store.
  for (let again = 0; again < 2; again++) {
    await page.reload();
    await leaf.waitReady();
    await page.getByTestId('reopen-folder').click();
    const later = await leaf.waitSettled(4);
    expect(later.images.map((i) => [i.path, i.status, i.stored, i.raw])).toEqual(second.images.map((i) => [i.path, 'scored', true, i.raw]));
    await page.waitForFunction(() => window.__leaf!.culling().restored);
    expect((await page.evaluate(() => window.__leaf!.culling())).decisions).toEqual({ 'A.jpg': decisions['A.jpg'] });
  }

  // The folder is deleted: the offer names it, says so, and is gone after the next reload.
  await page.evaluate(async () => (await navigator.storage.getDirectory()).removeEntry('shoot', { recursive: true }));
  await page.reload();
  await leaf.waitReady();
  await page.getByTestId('reopen-folder').click();
  await expect(page.getByTestId('reopen-error')).toContainText('The folder “shoot” is no longer where it was');
  await expect(page.getByTestId('reopen-folder')).toHaveCount(0);
  await page.reload();
  await leaf.waitReady();
  await expect(page.locator('.drop-zone')).toBeVisible();
  await expect(page.getByTestId('reopen-folder')).toHaveCount(0);
});
