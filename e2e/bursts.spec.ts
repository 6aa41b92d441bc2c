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

const t0 = Date.UTC(2026, 10, 28, 9, 30, 0);

/** A folder with a burst (IMG_0001-0004: one scene, 0.2 s apart) and two unrelated photos (IMG_0100, IMG_0101). */
async function burstFolder(name: string): Promise<string> {
  const [scene, ...others] = realImages(3, 900);
  const dir = tempDir(name);
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
  return dir;
}

test('bursts are grouped by look and capture time; keep the best of each, or the frame picked by hand', async ({ leaf, page }) => {
  const dir = await burstFolder('bursts');

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

test('bursts as stacks: the best frame stands for its burst in the grid and the culling view, S or its badge opens it, and the choice survives a reload', async ({ leaf, page }) => {
  const dir = await burstFolder('stacks');
  await leaf.open();
  await leaf.addFolder(dir);
  const state = await leaf.waitSettled(6);
  const frames = state.images.filter((i) => i.burst);
  const best = frames.find((f) => f.burst!.best)!;
  const others = ['IMG_0100.jpg', 'IMG_0101.jpg'];
  const shown = async () => [...(await page.evaluate(() => window.__leaf!.state())).shown].sort();
  const cards = async () => (await page.getByTestId('image-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')!))).sort();

  await page.getByTestId('stack-bursts').check();
  await expect.poll(cards).toEqual([best.name, ...others].sort());
  expect(await shown()).toEqual([best.name, ...others].sort());
  await expect(page.getByTestId('counts')).toContainText('6 images · 6 scored · showing 3');
  await expect(leaf.card(best.name).getByTestId('burst-badge')).toHaveText('▸ stack of 4');

  // Its badge opens the stack; the frames show where they were.
  await leaf.card(best.name).getByTestId('burst-badge').click();
  await expect.poll(cards).toHaveLength(6);
  await expect(leaf.card(best.name).getByTestId('burst-badge')).toHaveText('best of 4 ▾');
  await leaf.card(best.name).getByTestId('burst-badge').click();
  await expect.poll(cards).toHaveLength(3);

  // The culling view steps over a closed stack as one image; S opens it, and closing it on a hidden frame brings up the best.
  await page.keyboard.press('c');
  const current = async () => (await page.getByTestId('cull-view').getAttribute('data-name'))!;
  // Every image the arrows reach, walking to the start and then to the end.
  const walk = async () => {
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowLeft');
    const seen = new Set([await current()]);
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('ArrowRight');
      seen.add(await current());
    }
    return [...seen].sort();
  };
  expect(await walk()).toEqual([best.name, ...others].sort());
  const goTo = async (name: string) => {
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 8 && (await current()) !== name; i++) await page.keyboard.press('ArrowRight');
    expect(await current()).toBe(name);
  };
  await goTo(best.name);
  await page.keyboard.press('s');
  await expect.poll(shown).toHaveLength(6);
  const hidden = frames.find((f) => f !== best)!;
  await goTo(hidden.name);
  await page.keyboard.press('s');
  await expect(page.getByTestId('cull-view')).toHaveAttribute('data-name', best.name);
  expect(await shown()).toHaveLength(3);
  await page.keyboard.press('Escape');

  // The setting is kept across a reload (opened stacks are not).
  await page.reload();
  await leaf.waitReady();
  await leaf.addFolder(dir);
  await leaf.waitSettled(6);
  await expect(page.getByTestId('stack-bursts')).toBeChecked();
  await expect.poll(cards).toEqual([best.name, ...others].sort());
  fs.rmSync(dir, { recursive: true, force: true });
});
