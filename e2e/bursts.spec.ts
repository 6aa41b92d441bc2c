// Issue #9 item 3: a burst (four frames of one scene, 0.2 s apart by their EXIF capture times) is found
// among unrelated photos, its best frame marked by score; "keep the best of each" rejects the other
// frames, and a frame picked by hand wins over the best by score.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { hasData, NO_DATA_MESSAGE, realImages, tempDir } from './fixtures/images.ts';
import { expect, test } from './fixtures/leaf-test.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

const exifTime = (ms: number) => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    IFD2: {
      DateTimeOriginal: `${d.getUTCFullYear()}:${p(d.getUTCMonth() + 1)}:${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`,
      SubSecTimeOriginal: String(d.getUTCMilliseconds()).padStart(3, '0'),
    },
  };
};

test('bursts are grouped by look and capture time; keep the best of each, or the frame picked by hand', async ({ leaf, page }) => {
  const [scene, ...others] = realImages(3, 900);
  const dir = tempDir('bursts');
  const t0 = Date.UTC(2026, 10, 28, 9, 30, 0);
  const { width = 0, height = 0 } = await sharp(scene!).metadata();
  for (let k = 0; k < 4; k++) {
    // Each frame a little further along (the camera drifts) and a touch brighter.
    const [dx, dy] = [Math.round(width * 0.01 * k), Math.round(height * 0.008 * k)];
    const frame = sharp(scene!).extract({ left: dx, top: dy, width: width - dx, height: height - dy }).modulate({ brightness: 1 + 0.02 * k });
    fs.writeFileSync(path.join(dir, `IMG_000${k + 1}.jpg`), await frame.jpeg({ quality: 92 }).withExif(exifTime(t0 + 200 * k)).toBuffer());
  }
  for (const [i, other] of others.entries()) {
    fs.writeFileSync(path.join(dir, `IMG_010${i}.jpg`), await sharp(other!).jpeg({ quality: 92 }).withExif(exifTime(t0 + 60_000 * (i + 1))).toBuffer());
  }

  await leaf.open();
  await leaf.addFolder(dir);
  const state = await leaf.waitSettled(6);
  const byName = new Map(state.images.map((i) => [i.name, i]));
  expect(byName.get('IMG_0002.jpg')!.capturedAt).toBe(t0 + 200);
  const frames = ['IMG_0001.jpg', 'IMG_0002.jpg', 'IMG_0003.jpg', 'IMG_0004.jpg'].map((n) => byName.get(n)!);
  for (const f of frames) expect(f.burst?.size, f.name).toBe(4);
  for (const n of ['IMG_0100.jpg', 'IMG_0101.jpg']) expect(byName.get(n)!.burst).toBeNull();
  const best = frames.reduce((a, b) => (b.score! > a.score! ? b : a));
  expect(frames.filter((f) => f.burst!.best).map((f) => f.name)).toEqual([best.name]);
  await expect(leaf.card(best.name).getByTestId('burst-badge')).toHaveText('best of 4');

  // Culling: keep the best of the burst.
  await page.keyboard.press('c');
  await page.locator('summary', { hasText: 'Bursts' }).click();
  await expect(page.getByTestId('apply-bursts')).toHaveText('Keep the best of each: reject 3');
  await page.getByTestId('apply-bursts').click();
  await expect(page.getByTestId('cull-notice')).toContainText('Rejected 3 frames, keeping the best of each of 1 burst');
  let decisions = (await page.evaluate(() => window.__leaf!.culling())).decisions;
  expect(Object.keys(decisions).sort()).toEqual(frames.filter((f) => f !== best).map((f) => f.name).sort());
  for (const d of Object.values(decisions)) expect(d).toEqual({ stars: null, flag: 'reject', by: '-/rule' });

  // Undo, then pick another frame by hand: the rule keeps that one and rejects the best by score.
  await page.keyboard.press('Control+z');
  await expect.poll(async () => Object.keys((await page.evaluate(() => window.__leaf!.culling())).decisions)).toEqual([]);
  const chosen = frames.find((f) => f !== best)!;
  while ((await page.getByTestId('cull-view').getAttribute('data-name')) !== chosen.name) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('p');
  await page.getByTestId('apply-bursts').click();
  decisions = (await page.evaluate(() => window.__leaf!.culling())).decisions;
  expect(decisions[chosen.name]).toEqual({ stars: null, flag: 'pick', by: '-/hand' });
  expect(decisions[best.name]).toEqual({ stars: null, flag: 'reject', by: '-/rule' });
  fs.rmSync(dir, { recursive: true, force: true });
});
