// Issue #9: a photographer culls a folder of real photos with the keyboard, sets stars by rule, writes
// XMP sidecars (downloaded as a zip: Playwright cannot drive showDirectoryPicker) and exiftool reads them
// back, including a merge into a sidecar Lightroom wrote and a broken sidecar left alone. Reopening the
// folder after a reload restores every decision (IndexedDB, keyed by file content).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { hasData, NO_DATA_MESSAGE, realImages } from './fixtures/images.ts';
import { expect, test } from './fixtures/leaf-test.ts';
import { standInFolderPicker } from './fixtures/folder-picker.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

const EXISTING = `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0-c000">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
   xmp:Rating="1"
   xmp:Label="Red"
   crs:Exposure2012="+0.35">
   <dc:subject>
    <rdf:Bag>
     <rdf:li>harbour</rdf:li>
    </rdf:Bag>
   </dc:subject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
`;

function exiftool(files: string[]): Record<string, unknown>[] {
  try {
    return JSON.parse(execFileSync('exiftool', ['-q', '-j', '-G1', '-XMP:all', ...files], { encoding: 'utf8' })) as Record<string, unknown>[];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('exiftool not found: apt-get install -y libimage-exiftool-perl');
    throw err;
  }
}

test('cull with the keyboard, stars by rule, sidecars merged and read back by exiftool, decisions restored', async ({ leaf, page }) => {
  const dir = path.join(test.info().outputDir, 'shoot');
  fs.mkdirSync(dir, { recursive: true });
  const names = ['IMG_0001.jpg', 'IMG_0002.jpg', 'IMG_0003.jpg', 'IMG_0004.jpg'];
  realImages(4, 300).forEach((src, i) => fs.copyFileSync(src, path.join(dir, names[i]!)));
  fs.writeFileSync(path.join(dir, 'IMG_0002.jpg.xmp'), EXISTING);
  fs.writeFileSync(path.join(dir, 'IMG_0004.jpg.xmp'), 'this is not XMP');
  const brokenBefore = fs.readFileSync(path.join(dir, 'IMG_0004.jpg.xmp'));

  await leaf.open();
  await leaf.addFolder(dir);
  const settled = await leaf.waitSettled(4);
  expect(settled.images.map((i) => i.status)).toEqual(['scored', 'scored', 'scored', 'scored']);
  await page.getByTestId('sort').selectOption('name:asc');
  await page.waitForFunction(() => window.__leaf!.culling().restored);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  // C opens the culling view on the first image; the shortcuts are listed in it.
  await page.keyboard.press('c');
  const view = page.getByTestId('cull-view');
  await expect(view).toHaveAttribute('data-name', 'IMG_0001.jpg');
  await expect(page.getByRole('region', { name: 'Keyboard shortcuts' })).toContainText('reject');
  await expect(page.getByRole('dialog', { name: 'Culling' })).toBeFocused();

  await page.keyboard.press('4');
  await page.keyboard.press('p');
  await page.keyboard.press('ArrowRight');
  await expect(view).toHaveAttribute('data-name', 'IMG_0002.jpg');
  await page.keyboard.press('x');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('2');
  await page.keyboard.press('Control+z'); // takes back the 2
  await expect(page.getByTestId('decision')).toHaveAttribute('data-stars', '');
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('decision')).toHaveAttribute('data-stars', '2');
  await page.keyboard.press('3');
  // Z: 100% (fast mode has no detail patches, so the centre), Z again: fit.
  await page.keyboard.press('z');
  const stage = page.getByTestId('cull-stage');
  await expect(stage).toHaveAttribute('data-zoom', '100');
  await expect(stage).toHaveAttribute('data-zoom-source', 'centre');
  const zoomed = await stage.evaluate((el) => {
    const img = el.querySelector('img')!;
    return { shown: img.getBoundingClientRect().width, natural: img.naturalWidth, scrolled: el.scrollLeft > 0 || el.scrollTop > 0 || el.scrollWidth <= el.clientWidth };
  });
  expect(zoomed.shown).toBeCloseTo(zoomed.natural, 0);
  expect(zoomed.scrolled).toBe(true);
  await page.keyboard.press('z');
  await expect(stage).toHaveAttribute('data-zoom', 'fit');
  // Undo from another image brings the undone image back up; redo re-applies it.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Control+z');
  await expect(view).toHaveAttribute('data-name', 'IMG_0003.jpg');
  await expect(page.getByTestId('decision')).toHaveAttribute('data-stars', '2');
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('decision')).toHaveAttribute('data-stars', '3');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('u'); // nothing to unflag: no change, no undo step
  await page.keyboard.press('ArrowRight'); // already last: stays
  await expect(view).toHaveAttribute('data-name', 'IMG_0004.jpg');

  expect((await page.evaluate(() => window.__leaf!.culling())).decisions).toEqual({
    'IMG_0001.jpg': { stars: 4, flag: 'pick', by: 'hand/hand' },
    'IMG_0002.jpg': { stars: null, flag: 'reject', by: '-/hand' },
    'IMG_0003.jpg': { stars: 3, flag: null, by: 'hand/-' },
  });

  // Stars by rule: everything on 3 stars and up (threshold below the scale), hand ratings kept.
  await page.locator('summary', { hasText: 'Stars by score' }).click();
  const scale = (await leaf.summary()).scale!;
  const cuts = { 2: scale.min - 2, 3: scale.min - 1, 4: scale.max + 1, 5: scale.max + 2 };
  for (const [n, v] of Object.entries(cuts)) await page.getByTestId(`threshold-${n}`).fill(String(v));
  await expect(page.getByTestId('star-preview').locator('tr[data-stars="3"]')).toHaveAttribute('data-count', '4');
  await page.getByTestId('apply-stars').click();
  await expect(page.getByTestId('cull-notice')).toContainText('2 rated by hand kept their stars');
  const afterRule = (await page.evaluate(() => window.__leaf!.culling())).decisions;
  expect(afterRule['IMG_0001.jpg']).toEqual({ stars: 4, flag: 'pick', by: 'hand/hand' });
  expect(afterRule['IMG_0002.jpg']).toEqual({ stars: 3, flag: 'reject', by: 'rule/hand' });
  expect(afterRule['IMG_0004.jpg']).toEqual({ stars: 3, flag: null, by: 'rule/-' });

  // Write-back: a zip (no writable folder handle here).
  await page.locator('summary', { hasText: 'Write XMP sidecars' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('write-sidecars').click()]);
  expect(download.suggestedFilename()).toMatch(/^leaf-sidecars-\d{8}-\d{6}\.zip$/);
  await expect(page.getByTestId('cull-notice')).toContainText('IMG_0004.jpg.xmp is not valid XMP');
  await expect(page.getByTestId('cull-notice')).toContainText('1 merged into existing sidecars');

  const entries = unzipSync(fs.readFileSync((await download.path())!));
  const out = path.join(test.info().outputDir, 'sidecars');
  for (const [name, bytes] of Object.entries(entries)) {
    fs.mkdirSync(path.dirname(path.join(out, name)), { recursive: true });
    fs.writeFileSync(path.join(out, name), bytes);
  }
  expect(Object.keys(entries).sort()).toEqual(['shoot/IMG_0001.jpg.xmp', 'shoot/IMG_0002.jpg.xmp', 'shoot/IMG_0003.jpg.xmp']);
  const read = exiftool(['IMG_0001.jpg.xmp', 'IMG_0002.jpg.xmp', 'IMG_0003.jpg.xmp'].map((n) => path.join(out, 'shoot', n)));
  const [one, two, three] = read;
  expect(one).toMatchObject({ 'XMP-xmp:Rating': 4, 'XMP-xmp:Label': 'Green', 'XMP-leaf:Flag': 'pick' });
  // Merged: LEAF's reject wins over Lightroom's 1 star; its label, keyword and develop setting are kept.
  expect(two).toMatchObject({ 'XMP-xmp:Rating': -1, 'XMP-xmp:Label': 'Red', 'XMP-dc:Subject': 'harbour', 'XMP-crs:Exposure2012': '+0.35', 'XMP-leaf:Flag': 'reject' });
  expect(three).toMatchObject({ 'XMP-xmp:Rating': 3, 'XMP-leaf:Flag': 'none' });
  expect(three).not.toHaveProperty('XMP-xmp:Label');
  const scores = (await leaf.state()).images.map((i) => i.score!);
  read.forEach((r, i) => expect(Number(r['XMP-leaf:Score'])).toBeCloseTo(scores[i]!, 2));
  expect(fs.readFileSync(path.join(dir, 'IMG_0004.jpg.xmp'))).toEqual(brokenBefore);

  // Reload and reopen the folder: decisions come back from IndexedDB by content.
  await page.reload();
  await leaf.waitReady();
  await leaf.addFolder(dir);
  await leaf.waitSettled(4);
  await page.waitForFunction(() => window.__leaf!.culling().restored);
  expect((await page.evaluate(() => window.__leaf!.culling())).decisions).toEqual(afterRule);
});

test('a folder opened with the File System Access API gets its sidecars in place, merged', async ({ leaf, page }) => {
  // Playwright cannot click through the native folder picker, so the picker returns a real directory
  // handle from the origin-private file system, filled with real photos and an existing sidecar.
  const photos = realImages(2, 320).map((p) => [...fs.readFileSync(p)]);
  await standInFolderPicker(page, 'shoot');
  await leaf.open();
  await page.evaluate(
    async ({ photos, existing }) => {
      const root = await navigator.storage.getDirectory();
      await root.removeEntry('shoot', { recursive: true }).catch(() => {});
      const dir = await root.getDirectoryHandle('shoot', { create: true });
      const write = async (name: string, data: BlobPart) => {
        const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
        await w.write(data);
        await w.close();
      };
      await write('A.jpg', new Uint8Array(photos[0]!));
      await write('B.jpg', new Uint8Array(photos[1]!));
      await write('A.xmp', existing);
    },
    { photos, existing: EXISTING },
  );
  await page.getByTestId('open-folder').click();
  await leaf.waitSettled(2);
  await page.waitForFunction(() => window.__leaf!.culling().restored);
  await page.getByTestId('sort').selectOption('name:asc');
  await page.getByTestId('cull').click();
  await page.keyboard.press('5');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('x');
  await page.locator('summary', { hasText: 'Write XMP sidecars' }).click();
  await page.getByTestId('sidecar-naming').selectOption('stem'); // Lightroom's A.xmp
  await page.getByTestId('write-sidecars').click();
  await expect(page.getByTestId('cull-notice')).toHaveText('Wrote 2 sidecars next to the originals; 1 merged into existing sidecars.');

  const files = await page.evaluate(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('shoot');
    const out: Record<string, string> = {};
    for (const name of ['A.xmp', 'B.xmp']) out[name] = await (await (await dir.getFileHandle(name)).getFile()).text();
    const names: string[] = [];
    for await (const key of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(key);
    return { out, names: names.sort(), photo: [...new Uint8Array(await (await (await dir.getFileHandle('A.jpg')).getFile()).arrayBuffer())] };
  });
  expect(files.names).toEqual(['A.jpg', 'A.xmp', 'B.jpg', 'B.xmp']);
  expect(files.photo).toEqual(photos[0]); // the original is untouched
  const out = path.join(test.info().outputDir, 'in-place');
  fs.mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(files.out)) fs.writeFileSync(path.join(out, name), text);
  const [a, b] = exiftool([path.join(out, 'A.xmp'), path.join(out, 'B.xmp')]);
  expect(a).toMatchObject({ 'XMP-xmp:Rating': 5, 'XMP-xmp:Label': 'Red', 'XMP-dc:Subject': 'harbour', 'XMP-crs:Exposure2012': '+0.35' });
  expect(b).toMatchObject({ 'XMP-xmp:Rating': -1, 'XMP-leaf:Flag': 'reject' });
});
