// bench:calibration-browser — time of one calibration refit with 50 ratings in Chromium, in the app's
// worker on the default backend: the exact request the Rate panel sends (fitSession = rater correction +
// fitCalibration() + cross-validation + intervals over every image). Median of runs; writes
// bench/results/calibration-browser.json. Target: under 1 s.
//
//   npm run bench:calibration-browser            # builds first
//   npx tsx bench/calibration-browser.ts --images 60 --ratings 50 --runs 7
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/fixtures/chromium.ts';
import { JPEG_EXTENSIONS, listImageFiles } from '../src/node/image-files.ts';
import { startPreview } from './lib/preview-server.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const IMAGES_DIR = path.resolve(REPO, '..', 'shared', 'data', 'biq2021', 'images');
const { values: opt } = parseArgs({
  options: {
    images: { type: 'string', default: '60' },
    ratings: { type: 'string', default: '50' },
    runs: { type: 'string', default: '7' },
    port: { type: 'string', default: '4181' },
    out: { type: 'string', default: 'bench/results/calibration-browser.json' },
  },
});
const N_IMAGES = Number(opt.images);
const N_RATINGS = Math.min(Number(opt.ratings), N_IMAGES);
const RUNS = Number(opt.runs);
const ORIGIN = `http://127.0.0.1:${opt.port}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function main() {
  const files = listImageFiles(IMAGES_DIR, { extensions: JPEG_EXTENSIONS }).slice(0, N_IMAGES);
  const server = await startPreview(opt.port!);
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    await page.goto(ORIGIN);
    await page.waitForFunction(() => window.__leaf?.summary().engine.status === 'ready', null, { timeout: 120_000 });
    await page.setInputFiles('[data-testid=file-input]', files);
    await page.waitForFunction((n) => { const s = window.__leaf!.summary(); return !s.run.active && s.counts.scored >= n; }, N_IMAGES, { timeout: 600_000, polling: 250 });
    const backend = (await page.evaluate(() => window.__leaf!.summary())).engine.backend!.backend;
    // Rate 50 images through the panel (slider mode, values following a made-up user).
    await page.getByTestId('rate-open').click();
    await page.getByTestId('mode-slider').click();
    for (let i = 0; i < N_RATINGS; i++) {
      await page.getByTestId('rate-slider').fill(String((i * 37) % 101));
      await page.keyboard.press('Enter');
      await page.waitForFunction((k) => window.__leaf!.calibration().ratings > k, i);
    }
    await page.waitForFunction((n) => { const c = window.__leaf!.calibration(); return c.status === 'idle' && c.points === n; }, N_RATINGS, { timeout: 60_000 });
    // Each run: one more rating change (re-rate, then read the refit's own timing and the round trip).
    const fitMs: number[] = [];
    const headMs: number[] = [];
    const cvMs: number[] = [];
    const roundTripMs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = Date.now();
      const before = await page.evaluate(() => window.__leaf!.calibration().fitMs);
      await page.keyboard.press('u');
      await page.waitForFunction((b) => { const c = window.__leaf!.calibration(); return c.status === 'idle' && c.fitMs !== b; }, before, { polling: 20 });
      const c = await page.evaluate(() => window.__leaf!.calibration());
      fitMs.push(c.fitMs!);
      headMs.push(c.headMs!);
      cvMs.push(c.cvMs!);
      roundTripMs.push(Date.now() - t0 - 300); // minus the 300 ms debounce
      await page.getByTestId('rate-slider').fill(String((r * 13) % 101));
      await page.keyboard.press('Enter');
      await page.waitForFunction((n) => { const c = window.__leaf!.calibration(); return c.status === 'idle' && c.ratings === n && c.points === n; }, N_RATINGS, { polling: 20 });
    }
    await browser.close();
    const result = { backend, images: N_IMAGES, ratings: N_RATINGS, runs: RUNS, fineTuneMsMedian: median(headMs), crossValidationMsMedian: median(cvMs), refitMsMedian: median(fitMs), roundTripMsMedian: median(roundTripMs), refitMs: fitMs, roundTripMs, targetMs: 1000, pass: median(headMs) < 1000 };
    fs.mkdirSync(path.dirname(path.resolve(REPO, opt.out!)), { recursive: true });
    fs.writeFileSync(path.resolve(REPO, opt.out!), JSON.stringify(result, null, 2) + '\n');
    console.log(`| backend | images | ratings | fine-tune (median) | + cross-validation | whole refit | round trip after debounce | fine-tune < 1 s |\n|---|---|---|---|---|---|---|---|\n| ${backend} | ${N_IMAGES} | ${N_RATINGS - 1}–${N_RATINGS} | ${median(headMs).toFixed(1)} ms | ${median(cvMs).toFixed(0)} ms | ${median(fitMs).toFixed(0)} ms | ${median(roundTripMs).toFixed(0)} ms | ${result.pass ? 'yes' : 'NO'} |`);
  } finally {
    server.stop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
