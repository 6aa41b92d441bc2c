// Issue #10 item 2: calibration profiles under stress. Two tabs rating one profile at once lose nothing;
// storage that is full (a real quota, set through the DevTools protocol) or blocked outright says so in
// the page and keeps every rating given.
import fs from 'node:fs';
import { hasData, NO_DATA_MESSAGE, realImages } from './fixtures/images.ts';
import { expect, LeafPage, test } from './fixtures/leaf-test.ts';
import { ratingCount, rateKeys, storedProfiles } from './fixtures/profiles.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

const FILES = realImages(8, 40);

async function openWithImages(leaf: LeafPage, files: readonly string[]): Promise<void> {
  await leaf.open();
  await leaf.addFiles(files);
  await leaf.waitSettled(files.length);
}

test('two tabs rating one profile at the same time keep every rating, and each tab shows them all', async ({ context, leaf, page }) => {
  const other = new LeafPage(await context.newPage());
  await Promise.all([openWithImages(leaf, FILES), openWithImages(other, FILES)]);

  // Tab A's first rating creates the profile; tab B hears of it (no reload) and picks it from the list.
  await rateKeys(page, [3]);
  const id = (await page.evaluate(() => window.__leaf!.calibration().profileId))!;
  await expect(other.page.locator(`[data-testid=profile-select] option[value="${id}"]`)).toHaveCount(1);
  await other.page.getByTestId('profile-select').selectOption(id);
  await expect.poll(() => ratingCount(other.page)).toBe(1);
  await other.page.getByTestId('rate-open').click();
  await other.page.getByTestId('rater-name').fill('bob');
  await other.page.getByTestId('rater-name').blur();

  // Both rate at once, three times each: every write starts from a copy that the other tab makes stale.
  for (const [a, b] of [
    [4, 2],
    [2, 5],
    [5, 1],
  ] as const) {
    await Promise.all([page.keyboard.press(String(a)), other.page.keyboard.press(String(b))]);
  }
  await expect.poll(() => storedProfiles(page).then((ps) => ps.map((p) => p.ratings.length))).toEqual([7]);
  const [stored] = await storedProfiles(page);
  expect(stored!.ratings.filter((r) => r.startsWith('me:'))).toHaveLength(4);
  expect(stored!.ratings.filter((r) => r.startsWith('bob:'))).toHaveLength(3);
  expect(new Set(stored!.ratings).size).toBe(7);
  // Each tab follows the other's writes.
  await expect.poll(() => ratingCount(page)).toBe(7);
  await expect.poll(() => ratingCount(other.page)).toBe(7);
  await expect(other.page.getByTestId('rate-panel')).toContainText('7 ratings in');

  // An undo in tab B takes back only B's last rating; A's ratings stay.
  await other.page.keyboard.press('u');
  await expect.poll(() => storedProfiles(page).then((ps) => ps[0]!.ratings.length)).toBe(6);
  const [afterUndo] = await storedProfiles(page);
  expect(afterUndo!.ratings.filter((r) => r.startsWith('me:'))).toHaveLength(4);
  await expect.poll(() => ratingCount(page)).toBe(6);

  // Tab A deletes the profile: tab B lets it go instead of writing its copy back.
  await page.keyboard.press('Escape');
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('profile-delete').click();
  await expect(other.page.getByTestId('profile-notice')).toContainText('deleted in another tab');
  await expect.poll(() => ratingCount(other.page)).toBe(0);
  expect(await storedProfiles(other.page)).toEqual([]);
});

test('storage full: the page says so, keeps the ratings and saves them once there is room', async ({ context, leaf, page, baseURL }) => {
  // A real quota, set before the site stores anything: Chromium checks an origin's quota when it first uses
  // IndexedDB and trusts that answer for a while, so an override later in the session would not bite.
  const cdp = await context.newCDPSession(page);
  const origin = new URL(baseURL!).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
  try {
    await openWithImages(leaf, FILES.slice(0, 4));
    await rateKeys(page, [4, 2, 5]);
    const notice = page.getByTestId('rate-panel').getByTestId('storage-notice');
    await expect(notice).toContainText('storage for this site is full');
    await expect(notice).toContainText('kept in this tab only');
    expect(await ratingCount(page)).toBe(3);
    // Let the refit's own write (its head) fail too, so the Retry below is the write that succeeds.
    await page.waitForFunction(() => window.__leaf!.calibration().status === 'idle' && window.__leaf!.calibration().points === 3);
    await expect(notice).toBeVisible();
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  }
  await page.getByTestId('rate-panel').getByTestId('storage-retry').click();
  await expect(page.getByTestId('storage-notice')).toHaveCount(0);
  await expect.poll(() => storedProfiles(page).then((ps) => ps.map((p) => p.ratings.length))).toEqual([3]);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('profile-notice')).toContainText('every rating is stored');

  await page.reload();
  await leaf.waitReady();
  await expect.poll(() => ratingCount(page)).toBe(3);
});

test('storage blocked: the page says so, rating works in this tab and the profile exports with every rating', async ({ leaf, page }) => {
  // As in a browser that refuses this site storage (private window, site settings).
  await page.addInitScript(() => {
    IDBFactory.prototype.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
  });
  await openWithImages(leaf, FILES.slice(0, 4));
  await expect(page.getByTestId('storage-notice')).toContainText('does not allow this site to store data');
  await rateKeys(page, [5, 3, 1]);
  const notice = page.getByTestId('rate-panel').getByTestId('storage-notice');
  await expect(notice).toContainText('kept in this tab only');
  expect(await ratingCount(page)).toBe(3);

  const [download] = await Promise.all([page.waitForEvent('download'), notice.getByTestId('storage-export').click()]);
  const file = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { ratings: { value: number }[] };
  expect(file.ratings.map((r) => r.value).sort()).toEqual([1, 3, 5]);
});
