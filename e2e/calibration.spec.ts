// Issue #4: few-shot calibration in the browser, driven like a person through the Rate panel.
import fs from 'node:fs';
import path from 'node:path';
import { hasData, NO_DATA_MESSAGE, realImages, tempDir } from './fixtures/images.ts';
import { expect, type LeafPage, test } from './fixtures/leaf-test.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

const FILES = realImages(16, 300);
const finite = (xs: (number | null)[]) => xs.every((x) => x !== null && Number.isFinite(x));

async function scoresByName(leaf: LeafPage): Promise<Record<string, number>> {
  const s = await leaf.state();
  return Object.fromEntries(s.images.map((i) => [i.name, i.score!]));
}

async function rateN(leaf: LeafPage, values: number[]): Promise<void> {
  const page = leaf.page;
  if (!(await page.getByTestId('rate-panel').isVisible())) await page.getByTestId('rate-open').click();
  await expect(page.getByTestId('rate-panel')).toBeVisible();
  for (const v of values) {
    const before = await page.evaluate(() => window.__leaf!.calibration().ratings);
    await page.keyboard.press(String(v));
    await page.waitForFunction((n) => window.__leaf!.calibration().ratings > n, before);
  }
}

async function waitFitted(leaf: LeafPage, ratings: number): Promise<void> {
  await leaf.page.waitForFunction(
    (n) => {
      const c = window.__leaf!.calibration();
      return c.ratings === n && c.applied && c.status === 'idle' && c.points === Math.min(n, 999);
    },
    ratings,
    { polling: 100 },
  );
}

test('rate 10 → head trains and scores move; reload persists; export → import elsewhere reproduces', async ({ leaf, page, browser }) => {
  await leaf.open();
  await leaf.addFiles(FILES);
  await leaf.waitSettled(FILES.length);
  const raw = await scoresByName(leaf);
  // A plausible user: rates by the model score, but harsher and with their own opinion on a few.
  await rateN(leaf, [3, 4, 2, 5, 1, 3, 4, 2, 5, 3]);
  await waitFitted(leaf, 10);
  const cal = await page.evaluate(() => window.__leaf!.calibration());
  expect(cal.hasHead).toBe(true);
  expect(finite([cal.cv!.srcc, cal.cv!.plcc, cal.cv!.rmse])).toBe(true);
  const calibrated = await scoresByName(leaf);
  expect(Object.values(calibrated).every((v) => Number.isFinite(v) && v >= 1 && v <= 5)).toBe(true);
  expect(Object.keys(raw).some((k) => Math.abs(raw[k]! - calibrated[k]!) > 1e-3)).toBe(true);
  expect((await leaf.summary()).scale!.profileId).toBe(cal.profileId);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('calibration-plot')).toBeVisible();
  await expect(page.getByTestId('calibration-point')).toHaveCount(10);
  await expect(page.getByTestId('cv-srcc')).not.toHaveText('—');
  await page.screenshot({ path: '/tmp/leaf-calibration.png' });

  // Reload: ratings and head persist; re-adding the same files re-attaches them and reproduces the scores.
  await page.reload();
  await leaf.waitReady();
  await leaf.addFiles(FILES);
  await leaf.waitSettled(FILES.length);
  await waitFitted(leaf, 10);
  const again = await scoresByName(leaf);
  for (const k of Object.keys(calibrated)) expect(again[k]).toBeCloseTo(calibrated[k]!, 4);

  // Export, then import in a fresh browser context (its own IndexedDB).
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('profile-export').click()]);
  const dir = tempDir('calibration');
  const profilePath = path.join(dir, 'profile.json');
  await download.saveAs(profilePath);
  const text = fs.readFileSync(profilePath, 'utf8');
  expect(text.length).toBeLessThan(200_000);
  expect(text).not.toMatch(/data:image|thumb|features/);

  const other = await browser.newContext();
  const page2 = await other.newPage();
  const leaf2 = new (leaf.constructor as new (p: typeof page2) => LeafPage)(page2);
  await leaf2.open();
  await leaf2.addFiles(FILES);
  await leaf2.waitSettled(FILES.length);
  // Tampered: refused with a clear reason, nothing changes.
  const tampered = path.join(dir, 'tampered.json');
  fs.writeFileSync(tampered, text.replace(/"value": (\d)/, (_, d) => `"value": ${d === '5' ? 4 : Number(d) + 1}`));
  await page2.setInputFiles('[data-testid=profile-import-input]', tampered);
  await expect(page2.getByTestId('profile-notice')).toContainText('modified or corrupted');
  const corrupt = path.join(dir, 'corrupt.json');
  fs.writeFileSync(corrupt, text.slice(0, text.length / 2));
  await page2.setInputFiles('[data-testid=profile-import-input]', corrupt);
  await expect(page2.getByTestId('profile-notice')).toContainText('not valid JSON');
  expect((await page2.evaluate(() => window.__leaf!.calibration())).profileId).toBeNull();
  // The real file imports and reproduces the scores.
  await page2.setInputFiles('[data-testid=profile-import-input]', profilePath);
  await expect(page2.getByTestId('profile-notice')).toContainText('Imported');
  await waitFitted(leaf2, 10);
  const imported = await scoresByName(leaf2);
  for (const k of Object.keys(calibrated)) expect(imported[k]).toBeCloseTo(calibrated[k]!, 4);
  await other.close();
});

test('degenerate input never gives NaN or a broken scale: one rating, all equal, rate then undo', async ({ leaf, page }) => {
  await leaf.open();
  await leaf.addFiles(FILES.slice(0, 8));
  await leaf.waitSettled(8);
  const check = async () => {
    const s = await leaf.state();
    const scale = s.scale!;
    expect(Number.isFinite(scale.min) && Number.isFinite(scale.max) && scale.max > scale.min).toBe(true);
    for (const i of s.images) expect(Number.isFinite(i.score!)).toBe(true);
    const c = await page.evaluate(() => window.__leaf!.calibration());
    for (const [lo, hi] of Object.values(c.intervals)) expect(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi).toBe(true);
    await expect(page.getByTestId('calibration-panel')).not.toContainText('NaN');
  };
  await rateN(leaf, [4]);
  await waitFitted(leaf, 1);
  await check();
  expect(new Set((await leaf.state()).images.map((i) => i.score))).toEqual(new Set([4]));
  await rateN(leaf, [4, 4, 4]);
  await waitFitted(leaf, 4);
  await check();
  // Undo back to nothing: the model's own scale returns.
  for (let n = 3; n >= 0; n--) {
    await page.keyboard.press('u');
    await page.waitForFunction((k) => window.__leaf!.calibration().ratings === k, n);
  }
  await page.waitForFunction(() => !window.__leaf!.calibration().applied);
  await check();
  expect((await leaf.summary()).scale!.profileId).toBeNull();
});

test('profiles are named in an inline form with the keyboard (no prompt), and the histogram shows the name', async ({ leaf, page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await leaf.open();
  await leaf.addFiles(FILES.slice(0, 6));
  await leaf.waitSettled(6);

  // New: Enter on the button opens the form with the field focused; Enter in the field creates the profile.
  const newButton = page.getByTestId('profile-new');
  await newButton.focus();
  await page.keyboard.press('Enter');
  const input = page.getByTestId('profile-name-input');
  await expect(input).toBeFocused();
  await expect(input).toHaveValue('My scale');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('Studio A');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('profile-name-form')).toHaveCount(0);
  await expect(newButton).toBeFocused();
  await expect(page.getByTestId('profile-select').locator('option:checked')).toHaveText('Studio A (0)');

  // Rename: Escape cancels and changes nothing; an empty name cannot be saved; a new name replaces the old.
  await page.getByTestId('profile-rename').click();
  await expect(input).toHaveValue('Studio A');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('profile-name-form')).toHaveCount(0);
  await expect(page.getByTestId('profile-rename')).toBeFocused();
  await page.keyboard.press('Enter');
  await input.fill('   ');
  await expect(page.getByTestId('profile-name-save')).toBeDisabled();
  await input.fill('Studio B');
  await page.getByTestId('profile-name-save').click();
  await expect(page.getByTestId('profile-select').locator('option:checked')).toHaveText('Studio B (0)');

  // Calibrated scores: the histogram names the profile, not its id.
  await rateN(leaf, [4, 2, 5]);
  await waitFitted(leaf, 3);
  const rateButtons = ['acr-3', 'rate-skip', 'rate-undo'].map((id) => page.getByTestId(id));
  // The Rate panel's buttons look like the rest of the app's (the toolbar's Export CSV is one of those).
  const style = (el: Element) => {
    const s = getComputedStyle(el);
    return { radius: s.borderRadius, weight: s.fontWeight, cursor: s.cursor, border: s.borderTopStyle };
  };
  const appButton = await page.getByTestId('export-csv').evaluate(style);
  for (const b of rateButtons) expect(await b.evaluate(style)).toEqual(appButton);
  await page.keyboard.press('Escape');
  const { profileId } = await page.evaluate(() => window.__leaf!.calibration());
  await expect(page.getByTestId('histogram')).toContainText('calibrated: Studio B');
  await expect(page.getByTestId('histogram')).not.toContainText(profileId!);
  expect(dialogs).toEqual([]);
});
