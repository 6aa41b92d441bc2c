// Where a cold page's first second goes, before the model is ready (what a demo visitor waits for):
// navigation -> the page constructs the scoring worker -> the worker's clock starts -> its first request
// (the model manifest) -> model ready, with the backend's and the model's own shares. Each run is a fresh
// context (no HTTP or service-worker cache). Medians over runs; prints a table.
//
//   LEAF_TEST_HOOK=1 npx vite build && npx tsx bench/profile-boot.ts --runs 9
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/fixtures/chromium.ts';
import { median } from '../src/core/metrics/evaluate.ts';
import { startPreview } from './lib/preview-server.ts';

const { values: opt } = parseArgs({ options: { runs: { type: 'string', default: '9' }, port: { type: 'string', default: '4182' } } });

interface BootTimes {
  workerConstructed: number;
  workerClockStarts: number;
  manifestRequested: number;
  backendMs: number;
  modelMs: number;
  ready: number;
}

const server = await startPreview(opt.port);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const runs: BootTimes[] = [];
try {
  for (let r = 0; r < Number(opt.runs); r++) {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    // When the page constructs its worker (page clock).
    await page.addInitScript(() => {
      const Original = window.Worker;
      const w = window as unknown as { __workerAt?: number; Worker: typeof Worker };
      w.Worker = function (this: unknown, ...args: ConstructorParameters<typeof Worker>) {
        w.__workerAt ??= performance.now();
        return new Original(...args);
      } as unknown as typeof Worker;
    });
    await page.goto(server.origin);
    await page.waitForFunction(() => window.__leaf?.summary().engine.status === 'ready', null, { polling: 20, timeout: 120_000 });
    const p = await page.evaluate(() => ({
      origin: performance.timeOrigin,
      workerAt: (window as unknown as { __workerAt: number }).__workerAt,
      timings: window.__leaf!.summary().engine.timings!,
    }));
    const worker = page.workers().find((w) => w.url().includes('inference.worker'))!;
    const w = await worker.evaluate(() => ({
      origin: performance.timeOrigin,
      manifest: performance.getEntriesByType('resource').find((e) => e.name.endsWith('manifest.json'))?.startTime ?? NaN,
    }));
    const offset = w.origin - p.origin;
    runs.push({
      workerConstructed: p.workerAt,
      workerClockStarts: offset,
      manifestRequested: offset + w.manifest,
      backendMs: p.timings.backendMs,
      modelMs: p.timings.loadMs + p.timings.warmUpMs,
      ready: p.timings.readyAtMs,
    });
    console.error(`run ${r + 1}: ready at ${p.timings.readyAtMs.toFixed(0)} ms`);
    await context.close();
  }
} finally {
  await browser.close();
  server.stop();
}
const rows: [keyof BootTimes, string][] = [
  ['workerConstructed', 'page constructs the scoring worker (ms after navigation)'],
  ['workerClockStarts', "the worker's clock starts"],
  ['manifestRequested', 'the worker asks for the model manifest (its script has run)'],
  ['backendMs', 'backend start (ms)'],
  ['modelMs', 'model load + warm-up (ms)'],
  ['ready', 'model ready (ms after navigation)'],
];
console.log(`| cold load, ${runs.length} runs | median | range |\n|---|---:|---:|`);
for (const [k, label] of rows) {
  const xs = runs.map((r) => r[k]);
  console.log(`| ${label} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)} |`);
}
