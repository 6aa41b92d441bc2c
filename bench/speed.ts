// bench:speed — drives the built app in Debian's Chromium and measures, per backend and worker count: model
// load + warm-up, end-to-end images/s on real photos with where the worker's time goes per stage, the first
// score after a cold load (what a demo visitor waits for), the JS bundle and model sizes, and memory after
// 1,000 vs N images. Prints Markdown tables and writes bench/results/speed.{json,md}.
//
//   npm run bench:speed                      # builds first, then all backends
//   npx tsx bench/speed.ts --backends wasm --workers 1,auto --images 200 --runs 3 --memory 10000
//
// Timing targets are judged here, never asserted in tests. Run it on an otherwise idle machine.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from '@playwright/test';
import type { LeafSummary } from '../src/app/test-hook.ts';
import type { ScoreMode } from '../src/core/model/score-mode.ts';
import { type BackendName, WORKER_STAGES, type WorkerStage } from '../src/worker/protocol.ts';
import { CHROMIUM, CHROMIUM_ARGS, WEBGPU_ARGS } from '../e2e/fixtures/chromium.ts';
import { JPEG_EXTENSIONS, listImageFiles } from '../src/node/image-files.ts';
import { median } from '../src/core/metrics/evaluate.ts';
import { HIRES_DIR, HIRES_PHOTOS, hiresPhotosPresent } from '../src/node/hires-photos.ts';
import { startPreview } from './lib/preview-server.ts';
import { untilCpuIdle } from './lib/cpu-idle.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(REPO, 'dist');
const IMAGES_DIR = path.resolve(REPO, '..', 'shared', 'data', 'biq2021', 'images');

const { values: opt } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,webgl,cpu,webgpu' },
    images: { type: 'string', default: '200' },
    runs: { type: 'string', default: '3' },
    memory: { type: 'string', default: '2000' },
    /** Worker counts to compare on wasm: numbers, or 'auto' for the app's own choice (one per core). */
    workers: { type: 'string', default: '1,auto' },
    /** Modes to time on wasm (fast = Quick, accurate = Detail). */
    modes: { type: 'string', default: 'fast,accurate' },
    'first-score-runs': { type: 'string', default: '3' },
    port: { type: 'string', default: '4180' },
    out: { type: 'string', default: 'bench/results/speed.json' },
  },
});
const IMAGES = Number(opt.images);
const RUNS = Number(opt.runs);
const MEMORY_IMAGES = Number(opt.memory);
const WORKER_COUNTS = opt.workers.split(',').map((w) => (w.trim() === 'auto' ? 'auto' : Number(w))) as ('auto' | number)[];
const FIRST_SCORE_RUNS = Number(opt['first-score-runs']);
const ORIGIN = `http://127.0.0.1:${opt.port}`;

/** Software backends are far slower here (PLATFORM.md): a few images are enough to measure them. */
const PLAN: Record<BackendName, { images: number; runs: number; modes: ScoreMode[] }> = {
  wasm: { images: IMAGES, runs: RUNS, modes: opt.modes.split(',').map((m) => m.trim()) as ScoreMode[] },
  webgl: { images: IMAGES, runs: 1, modes: ['fast'] },
  cpu: { images: Math.min(IMAGES, 8), runs: 1, modes: ['fast'] },
  webgpu: { images: Math.min(IMAGES, 5), runs: 1, modes: ['fast'] },
};

const mb = (bytes: number) => bytes / 1e6;
const MODE_NAMES: Record<ScoreMode, string> = { fast: 'Quick', accurate: 'Detail' };
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function listImages(count: number): string[] {
  if (!fs.existsSync(IMAGES_DIR)) throw new Error(`real images not found at ${IMAGES_DIR} (the project's ../shared/data)`);
  const files = listImageFiles(IMAGES_DIR, { extensions: JPEG_EXTENSIONS });
  if (files.length < count) throw new Error(`need ${count} images, ${IMAGES_DIR} has ${files.length}`);
  return files.slice(0, count);
}

// ---- sizes -------------------------------------------------------------------------------------------

function jsClosure(entry: string, dynamic: boolean): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = fs.readFileSync(path.join(DIST, 'assets', file), 'utf8');
    // Rolldown writes `import"./x.js"` / `from"./x.js"` for static imports and import(`./x.js`) for dynamic ones.
    const re = dynamic ? /(?:from|import)\s*\(?\s*["'`]\.\/([^"'`]+\.js)["'`]/g : /(?:from|import)\s*["']\.\/([^"']+\.js)["']/g;
    for (const m of code.matchAll(re)) visit(m[1]!);
  };
  visit(entry);
  return seen;
}

function sizes() {
  const assets = fs.readdirSync(path.join(DIST, 'assets'));
  const bytes = (files: Iterable<string>) => [...files].reduce((n, f) => n + fs.statSync(path.join(DIST, 'assets', f)).size, 0);
  const gzip = (files: Iterable<string>) => [...files].reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(DIST, 'assets', f))).length, 0);
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  // The entry and the app's chunks it announces (modulepreload): what every visit loads on the main thread.
  const mainRoots = [/src="\/assets\/([^"]+\.js)"/.exec(html)![1]!, ...[...html.matchAll(/rel="modulepreload"[^>]*href="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!)];
  const main = new Set(mainRoots.flatMap((root) => [...jsClosure(root, false)]));
  const workerEntry = assets.find((f) => f.startsWith('inference.worker-'))!;
  const workerStatic = jsClosure(workerEntry, false);
  const workerAll = jsClosure(workerEntry, true);
  const allJs = assets.filter((f) => f.endsWith('.js'));
  const simd = assets.filter((f) => f.startsWith('tfjs-backend-wasm-simd-'));
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'models', 'leaf-mnv2-140', 'manifest.json'), 'utf8')) as { files: Record<string, { bytes: number }> };
  const modelBytes = Object.values(manifest.files).reduce((n, f) => n + f.bytes, 0) + fs.statSync(path.join(REPO, 'models', 'leaf-mnv2-140', 'manifest.json')).size;
  return {
    mainThreadJs: { bytes: bytes(main), gzip: gzip(main), files: [...main] },
    workerJsStatic: { bytes: bytes(workerStatic), gzip: gzip(workerStatic) },
    workerJsWithLazyBackends: { bytes: bytes(workerAll), gzip: gzip(workerAll) },
    allJs: { bytes: bytes(allJs), gzip: gzip(allJs) },
    wasmSimd: { bytes: bytes(simd), gzip: gzip(simd) },
    modelBytes,
  };
}

// ---- browser helpers ---------------------------------------------------------------------------------

const summary = (page: Page) => page.evaluate(() => window.__leaf!.summary());

/** Waits in the page, without polling it over the protocol, for `count` scores (the hook loads with the app). */
const untilScored = (page: Page, count: number) =>
  // A string: tsx would wrap a named inner function with a helper the page does not have.
  page.evaluate(`new Promise((resolve) => {
    const wait = () => (window.__leaf ? window.__leaf.whenScored(${count}).then(resolve) : setTimeout(wait, 10));
    wait();
  })`);

type Workers = number | 'auto';
const workersParam = (w: Workers) => (w === 'auto' ? '' : `&workers=${w}`);

/**
 * Where a cold load happens: a fresh context (no HTTP cache, code cache, storage or service worker: each
 * run measures a first visit, without the precache download competing), in a new window, or in a new tab
 * of a window already open. Chromium draws its toolbar with a WebUI page in a renderer of its own, loaded
 * for every new window, which every new context opens, and that work shares the machine's cores with the
 * app's load. A visitor's browser did it when its window opened, not when they open our page, so the
 * app's tab opens once the window stands and the machine is idle again ('tab'). The first-score runs time
 * 'window' too and print both.
 */
type OpenIn = 'tab' | 'window';

async function freshPage(browser: Browser, openIn: OpenIn): Promise<{ context: BrowserContext; page: Page }> {
  // Either way the app's page opens on an idle machine, whatever the previous run left running (a closing
  // context), except for the new window's own work in 'window'.
  if (openIn === 'window') await untilCpuIdle();
  const context = await browser.newContext({ serviceWorkers: 'block' });
  if (openIn === 'tab') {
    await context.newPage();
    await untilCpuIdle();
  }
  return { context, page: await context.newPage() };
}

async function openApp(browser: Browser, backend: BackendName, workers: Workers = 'auto') {
  const { context, page } = await freshPage(browser, 'tab');
  // Long tasks on the page's main thread (> 50 ms each, as the browser reports them), for the responsiveness check.
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push({ start: e.startTime, duration: e.duration }))).observe({ type: 'longtask' });
  });
  const t0 = Date.now();
  await page.goto(`${ORIGIN}/?backend=${backend}${workersParam(workers)}`);
  await page.waitForFunction(() => window.__leaf !== undefined && window.__leaf.summary().engine.status !== 'starting', null, { timeout: 600_000, polling: 50 });
  const navToReadyMs = Date.now() - t0;
  const s = await summary(page);
  if (s.engine.status !== 'ready') throw new Error(`${backend}: engine failed: ${s.engine.error}`);
  if (s.engine.backend!.backend !== backend) throw new Error(`${backend} requested, ${s.engine.backend!.backend} ran (${s.engine.backend!.reason})`);
  return { context, page, navToReadyMs, engine: s.engine };
}

async function scoreAll(page: Page, files: string[], settledBefore = 0): Promise<{ wallMs: number; summary: LeafSummary }> {
  const t0 = Date.now();
  await page.setInputFiles('[data-testid=file-input]', files);
  // Awaited in the page: polling over the protocol took main-thread time and left compiled code in the
  // page's heap that the memory run would count.
  await page.evaluate((n) => window.__leaf!.whenSettled(n), settledBefore + files.length);
  return { wallMs: Date.now() - t0, summary: await summary(page) };
}

// ---- speed -------------------------------------------------------------------------------------------

interface RunResult {
  navToReadyMs: number;
  backendMs: number;
  loadMs: number;
  warmUpMs: number;
  imagesPerSecond: number;
  wallImagesPerSecond: number;
  /** Worker ms per image by stage (summed over the images the model scored, divided by their count). */
  stageMs: Record<WorkerStage, number>;
  /** Page ms per image applying results to the store. */
  applyMs: number;
  /** Share of the run's wall time the page's main thread was busy (CDP TaskDuration): what it takes from the workers' cores. */
  pageBusyShare: number;
  /** Longest main-thread task during the run, and how many took over 100 ms (target: none). */
  longestTaskMs: number;
  tasksOver100ms: number;
  workers: number;
  failed: number;
}

type PhotoSet = 'BIQ2021 (512 px)' | 'high-res (6-24 MP)';

async function benchBackend(browser: Browser, backend: BackendName, mode: ScoreMode, images: string[], runs: number, workers: Workers, set: PhotoSet = 'BIQ2021 (512 px)') {
  const results: RunResult[] = [];
  for (let r = 0; r < runs; r++) {
    const { context, page, navToReadyMs, engine } = await openApp(browser, backend, workers);
    if (mode !== 'fast') await page.getByTestId(`mode-${mode}`).click();
    // The pool grows once the first worker is ready: start timing with every worker loaded.
    if (backend === 'wasm' || backend === 'cpu') {
      await page.waitForFunction((w) => window.__leaf!.summary().engine.workers >= w, workers === 'auto' ? 1 : workers, { timeout: 120_000, polling: 50 });
      await page.waitForTimeout(3000);
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'TaskDuration')?.value ?? 0) * 1000;
    const busyBefore = await busy();
    const runStart = await page.evaluate(() => performance.now());
    const { wallMs, summary: s } = await scoreAll(page, images);
    const pageBusyMs = (await busy()) - busyBefore;
    const longTasks = await page.evaluate((from) => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter((t) => t.start >= from).map((t) => t.duration), runStart);
    const per = Math.max(1, s.run.modelScored);
    results.push({
      navToReadyMs,
      backendMs: engine.timings!.backendMs,
      loadMs: engine.timings!.loadMs,
      warmUpMs: engine.timings!.warmUpMs,
      imagesPerSecond: s.run.imagesPerSecond ?? Number.NaN,
      wallImagesPerSecond: (images.length * 1000) / wallMs,
      stageMs: Object.fromEntries(WORKER_STAGES.map((k) => [k, s.run.stageMs[k] / per])) as Record<WorkerStage, number>,
      applyMs: s.run.applyMs / Math.max(1, s.run.scored),
      pageBusyShare: pageBusyMs / wallMs,
      longestTaskMs: Math.max(0, ...longTasks),
      tasksOver100ms: longTasks.filter((d) => d > 100).length,
      workers: s.engine.workers,
      failed: s.counts.failed,
    });
    const last = results.at(-1)!;
    console.error(
      `  ${backend}/${mode}/${last.workers} worker(s) run ${r + 1}/${runs}: load+warm-up ${round(last.loadMs + last.warmUpMs, 0)} ms, ${round(last.imagesPerSecond, 2)} images/s over ${images.length}`,
    );
    await context.close();
  }
  const m = (k: Exclude<keyof RunResult, 'stageMs'>) => median(results.map((x) => x[k]));
  return {
    backend,
    mode,
    set,
    workers: median(results.map((x) => x.workers)),
    images: images.length,
    runs: results,
    median: {
      loadPlusWarmUpMs: median(results.map((x) => x.loadMs + x.warmUpMs)),
      backendInitMs: m('backendMs'),
      navToReadyMs: m('navToReadyMs'),
      imagesPerSecond: m('imagesPerSecond'),
      msPerImage: 1000 / m('imagesPerSecond'),
      wallImagesPerSecond: m('wallImagesPerSecond'),
      stageMs: Object.fromEntries(WORKER_STAGES.map((k) => [k, median(results.map((x) => x.stageMs[k]))])) as Record<WorkerStage, number>,
      applyMs: m('applyMs'),
      pageBusyShare: m('pageBusyShare'),
      longestTaskMs: Math.max(...results.map((x) => x.longestTaskMs)),
      tasksOver100ms: results.reduce((n, x) => n + x.tasksOver100ms, 0),
    },
  };
}

// ---- first score -------------------------------------------------------------------------------------

/**
 * A demo visitor: a cold page (fresh context, see freshPage) and one photo dropped as soon as the drop zone
 * exists. Timed from navigation to the score in the store (the card renders it next frame).
 */
async function coldFirstScore(browser: Browser, image: string, openIn: OpenIn) {
  const { context, page } = await freshPage(browser, openIn);
  const t0 = Date.now();
  await page.goto(`${ORIGIN}/`);
  await page.waitForSelector('[data-testid=file-input]', { state: 'attached' });
  const inputAt = Date.now() - t0;
  await page.setInputFiles('[data-testid=file-input]', [image]);
  await untilScored(page, 1);
  const firstScoreMs = Date.now() - t0;
  const s = await summary(page);
  const t = s.engine.timings!;
  const { worker } = await page.evaluate(() => window.__leaf!.memory());
  await context.close();
  return {
    firstScoreMs,
    dropZoneMs: inputAt,
    // Page clock (ms since navigation): when the model was ready, the photo queued, its score arrived.
    engineReadyAtMs: t.readyAtMs,
    queuedAtMs: s.run.startedAt!,
    scoreArrivedAtMs: s.run.lastAt!,
    loadPlusWarmUpMs: t.loadMs + t.warmUpMs,
    backendMs: t.backendMs,
    wasmHeapBytes: worker.wasmHeapBytes,
    mode: s.settings.mode,
  };
}

type ColdLoad = Awaited<ReturnType<typeof coldFirstScore>>;

function coldLoadMedians(results: ColdLoad[]) {
  const m = (k: 'firstScoreMs' | 'dropZoneMs' | 'engineReadyAtMs' | 'scoreArrivedAtMs' | 'loadPlusWarmUpMs' | 'wasmHeapBytes') => median(results.map((x) => x[k] ?? 0));
  return {
    firstScoreMs: m('firstScoreMs'),
    dropZoneMs: m('dropZoneMs'),
    engineReadyAtMs: m('engineReadyAtMs'),
    scoreArrivedAtMs: m('scoreArrivedAtMs'),
    loadPlusWarmUpMs: m('loadPlusWarmUpMs'),
    wasmHeapBytes: m('wasmHeapBytes'),
  };
}

/** Cold loads in a new tab (the target's figure) alternated with cold loads in a new window (for comparison). */
async function benchFirstScore(browser: Browser, runs: number) {
  const [image] = listImages(1);
  const inTab: ColdLoad[] = [];
  const inWindow: ColdLoad[] = [];
  for (let r = 0; r < runs; r++) {
    for (const openIn of ['tab', 'window'] as const) {
      const result = await coldFirstScore(browser, image!, openIn);
      (openIn === 'tab' ? inTab : inWindow).push(result);
      console.error(`  first score run ${r + 1}/${runs}, new ${openIn}: ${result.firstScoreMs} ms (load + warm-up ${round(result.loadPlusWarmUpMs, 0)} ms)`);
    }
  }
  return {
    runs: inTab,
    mode: inTab[0]!.mode,
    median: coldLoadMedians(inTab),
    inNewWindow: { runs: inWindow, median: coldLoadMedians(inWindow) },
    firstTouch: await firstTouchCost(browser),
  };
}

/**
 * What this machine charges for touching fresh memory, as a cold start does loading the model and scoring:
 * 64 MB allocated in a worker and written once per 4 KB page, then again; median of 3 workers.
 */
async function firstTouchCost(browser: Browser) {
  const page = await browser.newPage();
  const runs: { firstMs: number; againMs: number }[] = [];
  for (let r = 0; r < 3; r++) {
    runs.push(
      await page.evaluate(`new Promise((resolve) => {
        const code = 'onmessage = () => { const a = new Uint8Array(64 << 20); let t = performance.now(); for (let i = 0; i < a.length; i += 4096) a[i] = 1; const firstMs = performance.now() - t; t = performance.now(); for (let i = 0; i < a.length; i += 4096) a[i] = 2; postMessage({ firstMs, againMs: performance.now() - t }); };';
        const w = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
        w.onmessage = (e) => { resolve(e.data); w.terminate(); };
        w.postMessage(0);
      })`),
    );
  }
  await page.close();
  const firstMs = median(runs.map((x) => x.firstMs));
  return { megabytes: 64, firstMs, againMs: median(runs.map((x) => x.againMs)), usPerPage: (firstMs * 1000) / ((64 << 20) / 4096) };
}

// ---- memory ------------------------------------------------------------------------------------------

/** CDP for the inference workers' own V8 heaps (not reachable from the page), summed over the pool. */
async function workerHeap(browser: Browser) {
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const targets = targetInfos.filter((t) => t.type === 'worker' && t.url.includes('inference.worker'));
  if (targets.length === 0) throw new Error('inference worker target not found');
  let nextId = 1;
  const pending = new Map<number, (v: unknown) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const msg = JSON.parse(e.message) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  const sessions = await Promise.all(targets.map(async (t) => (await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false })).sessionId));
  const send = <T>(sessionId: string, method: string) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (v: unknown) => void);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
    });
  return {
    workers: targets.length,
    async usage() {
      const all = await Promise.all(
        sessions.map(async (sessionId) => {
          await send(sessionId, 'HeapProfiler.collectGarbage');
          return send<{ usedSize: number; backingStorageSize?: number }>(sessionId, 'Runtime.getHeapUsage');
        }),
      );
      const backing = all.every((u) => u.backingStorageSize !== undefined) ? all.reduce((n, u) => n + u.backingStorageSize!, 0) : undefined;
      return { usedSize: all.reduce((n, u) => n + u.usedSize, 0), backingStorageSize: backing };
    },
    close: () => cdp.detach(),
  };
}

async function snapshot(page: Page, pageCdp: CDPSession, worker: Awaited<ReturnType<typeof workerHeap>>, images: number) {
  await pageCdp.send('HeapProfiler.collectGarbage');
  const pageHeap = (await pageCdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  const w = await worker.usage();
  const mem = await page.evaluate(() => window.__leaf!.memory());
  return {
    images,
    numTensors: mem.worker.numTensors,
    tensorBytes: mem.worker.numBytes,
    wasmHeapBytes: mem.worker.wasmHeapBytes,
    workerJsHeapBytes: w.usedSize,
    workerBackingStoreBytes: w.backingStorageSize ?? null,
    featureCacheBytes: mem.worker.featureBytes,
    pageJsHeapBytes: pageHeap.usedSize,
  };
}

/**
 * `total` distinct photos for the memory run: the real ones, then (past the 3,000 in the set) mirrored and
 * re-encoded copies, written once to .cache/bench-memory, so every one is new content the model must score.
 */
async function memoryImages(total: number): Promise<string[]> {
  const real = listImageFiles(IMAGES_DIR, { extensions: JPEG_EXTENSIONS });
  if (total <= real.length) return real.slice(0, total);
  const dir = path.join(REPO, '.cache', 'bench-memory');
  fs.mkdirSync(dir, { recursive: true });
  const { default: sharp } = await import('sharp');
  const variants: [string, (img: ReturnType<typeof sharp>) => ReturnType<typeof sharp>][] = [
    ['flop', (img) => img.flop().jpeg({ quality: 90 })],
    ['q80', (img) => img.jpeg({ quality: 80 })],
    ['flip-q85', (img) => img.flip().jpeg({ quality: 85 })],
  ];
  const files = [...real];
  for (const [name, make] of variants) {
    for (const src of real) {
      if (files.length >= total) return files;
      const out = path.join(dir, `${path.basename(src, path.extname(src))}-${name}.jpg`);
      if (!fs.existsSync(out)) await make(sharp(src)).toFile(out);
      files.push(out);
    }
  }
  if (files.length < total) throw new Error(`the memory run can make ${files.length} distinct photos, not ${total}`);
  return files;
}

async function benchMemory(browser: Browser, total: number) {
  const files = await memoryImages(total);
  const first = Math.min(1000, total);
  const { context, page } = await openApp(browser, 'wasm');
  await page.waitForTimeout(5000); // the pool grows after the first worker is ready
  const pageCdp = await context.newCDPSession(page);
  const worker = await workerHeap(browser);
  const atStart = await snapshot(page, pageCdp, worker, 0);
  await scoreAll(page, files.slice(0, first));
  const atFirst = await snapshot(page, pageCdp, worker, first);
  console.error(`  memory: ${first} images done`);
  // The wasm heap after every 1,000 images: a heap only grows, so the series tells a one-off growth step
  // (a plateau after it) from a steady climb.
  const wasmSeries: { images: number; wasmHeapBytes: number | null }[] = [{ images: first, wasmHeapBytes: atFirst.wasmHeapBytes }];
  for (let i = first; i < total; i += 200) {
    await scoreAll(page, files.slice(i, Math.min(total, i + 200)), i);
    if ((i + 200) % 1000 === 0) {
      console.error(`  memory: ${i + 200} images done`);
      if (i + 200 < total) wasmSeries.push({ images: i + 200, wasmHeapBytes: (await page.evaluate(() => window.__leaf!.memory())).worker.wasmHeapBytes });
    }
  }
  const atTotal = await snapshot(page, pageCdp, worker, total);
  // Cleared as a user would (the toolbar's Clear), twice: after all the images, and again after the first
  // batch is added back (its scores now come from the store). A page that leaked per image would hold more
  // after the second; what both hold beyond the empty page is code compiled meanwhile and one render's copy.
  const clear = async () => {
    await page.getByTestId('clear').click();
    await page.waitForFunction(() => window.__leaf!.summary().counts.total === 0);
    return snapshot(page, pageCdp, worker, 0);
  };
  const afterClear = await clear();
  await scoreAll(page, files.slice(0, first));
  const afterSecondClear = await clear();
  await worker.close();
  await context.close();
  const workers = worker.workers;
  const ratio = (k: keyof typeof atFirst) => (typeof atFirst[k] === 'number' && typeof atTotal[k] === 'number' ? round((atTotal[k] as number) / (atFirst[k] as number), 3) : null);
  wasmSeries.push({ images: total, wasmHeapBytes: atTotal.wasmHeapBytes });
  return {
    workers,
    atStart,
    atFirst,
    atTotal,
    afterClear,
    afterSecondClear,
    wasmSeries,
    pageJsHeapBytesPerImage: round((atTotal.pageJsHeapBytes - atFirst.pageJsHeapBytes) / (total - first), 0),
    workerJsHeapBytesPerImage: round((atTotal.workerJsHeapBytes - atFirst.workerJsHeapBytes) / (total - first), 0),
    ratio: {
      numTensors: ratio('numTensors'),
      wasmHeapBytes: ratio('wasmHeapBytes'),
      workerJsHeapBytes: ratio('workerJsHeapBytes'),
      pageJsHeapBytes: ratio('pageJsHeapBytes'),
    },
  };
}

// ---- main --------------------------------------------------------------------------------------------

async function main() {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench:speed does)');
  // --backends '' times nothing but the first score (and memory, when asked).
  const backends = opt.backends.split(',').map((b) => b.trim()).filter(Boolean) as BackendName[];
  const loadAvg = os.loadavg();
  console.error(`bench:speed on ${os.cpus().length} cores (${os.cpus()[0]?.model}), load average ${loadAvg.map((x) => x.toFixed(2)).join(' ')}`);
  const server = await startPreview(opt.port);
  const plain = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'] });
  const withGpu = backends.includes('webgpu') ? await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...WEBGPU_ARGS] }) : null;
  try {
    const speed: Awaited<ReturnType<typeof benchBackend>>[] = [];
    for (const backend of backends) {
      const plan = PLAN[backend];
      if (!plan) throw new Error(`unknown backend ${backend}`);
      const images = listImages(plan.images);
      // The pool only runs on CPU backends (GPU backends share one device): compare worker counts there.
      const workerCounts: Workers[] = backend === 'wasm' ? WORKER_COUNTS : ['auto'];
      for (const workers of workerCounts) {
        for (const mode of plan.modes) {
          console.error(`${backend} / ${mode} / workers ${workers}: ${images.length} images x ${plan.runs} run(s)`);
          speed.push(await benchBackend(backend === 'webgpu' ? withGpu! : plain, backend, mode, images, plan.runs, workers));
        }
      }
    }
    // A photographer's files: decoding and reading pixels weigh more next to the model than at 512 px.
    if (backends.includes('wasm') && hiresPhotosPresent()) {
      const hires = HIRES_PHOTOS.map((f) => path.join(HIRES_DIR, f));
      for (const mode of PLAN.wasm.modes) {
        console.error(`wasm / ${mode} / high-res: ${hires.length} photos x ${RUNS} run(s)`);
        speed.push(await benchBackend(plain, 'wasm', mode, hires, RUNS, 'auto', 'high-res (6-24 MP)'));
      }
    } else if (backends.includes('wasm')) console.error('high-res photos not found (bash scripts/fetch-photos.sh): their rows are left out');
    const firstScore = FIRST_SCORE_RUNS > 0 ? (console.error(`first score from a cold load: ${FIRST_SCORE_RUNS} runs`), await benchFirstScore(plain, FIRST_SCORE_RUNS)) : null;
    const memory = MEMORY_IMAGES > 0 ? (console.error(`memory: wasm, ${MEMORY_IMAGES} images`), await benchMemory(plain, MEMORY_IMAGES)) : null;
    const sz = sizes();
    const biq = speed.filter((s) => s.set === 'BIQ2021 (512 px)');
    const auto = biq.filter((s) => s.backend === 'wasm' && s === biq.findLast((x) => x.backend === 'wasm' && x.mode === s.mode));
    const wasmFast = auto.find((s) => s.mode === 'fast');
    const wasmAccurate = auto.find((s) => s.mode === 'accurate');
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', loadAverageAtStart: loadAvg, chromium: execFileSync(CHROMIUM, ['--version']).toString().trim() },
      options: { images: IMAGES, runs: RUNS, memoryImages: MEMORY_IMAGES, backends, workers: WORKER_COUNTS, firstScoreRuns: FIRST_SCORE_RUNS },
      sizes: sz,
      speed,
      firstScore,
      memory,
      targets: {
        firstScoreWithin1500ms: firstScore ? firstScore.median.firstScoreMs <= 1500 : null,
        loadPlusWarmUpWithin1000ms: firstScore ? firstScore.median.loadPlusWarmUpMs <= 1000 : null,
        modelUnder5MB: sz.modelBytes <= 5e6,
        quickAtLeast15ImagesPerSecond: wasmFast ? wasmFast.median.imagesPerSecond >= 15 : null,
        detailAtLeast5ImagesPerSecond: wasmAccurate ? wasmAccurate.median.imagesPerSecond >= 5 : null,
        // The inference pipeline (tensors, wasm heap, worker heap) must not grow with the number of images.
        // The page heap grows by the per-image results the UI keeps (reported as bytes/image, not judged).
        inferenceMemoryFlatWithin5Percent: memory
          ? [memory.ratio.numTensors, memory.ratio.wasmHeapBytes, memory.ratio.workerJsHeapBytes].every((r) => r === null || Math.abs(r - 1) <= 0.05)
          : null,
        pageJsHeapWithin5Percent: memory ? memory.ratio.pageJsHeapBytes !== null && Math.abs(memory.ratio.pageJsHeapBytes - 1) <= 0.05 : null,
        // No leak: cleared a second time, the page heap holds no more than (within 5%) after the first Clear.
        pageJsHeapSameAfterEachClearWithin5Percent: memory ? memory.afterSecondClear.pageJsHeapBytes <= memory.afterClear.pageJsHeapBytes * 1.05 : null,
      },
    };
    const out = path.resolve(REPO, opt.out);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
    const md = markdown(result);
    fs.writeFileSync(out.replace(/\.json$/, '.md'), md + '\n');
    console.log(md);
    console.log(`\nwritten to ${path.relative(REPO, out)} and its .md`);
  } finally {
    await plain.close();
    await withGpu?.close();
    server.stop();
  }
}

function markdown(r: {
  speed: Awaited<ReturnType<typeof benchBackend>>[];
  firstScore: Awaited<ReturnType<typeof benchFirstScore>> | null;
  sizes: ReturnType<typeof sizes>;
  memory: Awaited<ReturnType<typeof benchMemory>> | null;
  machine: { loadAverageAtStart: number[]; chromium: string };
  targets: Record<string, boolean | null>;
}): string {
  const lines = [
    `## LEAF speed (${r.machine.chromium}, load average at start ${r.machine.loadAverageAtStart[0]!.toFixed(2)})`,
    '',
    '| photos | backend | mode | workers | images | runs | model load + warm-up (ms) | backend init (ms) | page to ready (ms) | images/s (end to end) | ms/image |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.speed.map(
      (s) =>
        `| ${s.set} | ${s.backend} | ${MODE_NAMES[s.mode]} | ${s.workers} | ${s.images} | ${s.runs.length} | ${round(s.median.loadPlusWarmUpMs, 0)} | ${round(s.median.backendInitMs, 0)} | ${round(s.median.navToReadyMs, 0)} | ${round(s.median.imagesPerSecond, 2)} | ${round(s.median.msPerImage, 0)} |`,
    ),
    '',
    'Where a worker\'s time goes, ms per image (median over runs of the per-run mean). read+hash is wall time from asking to having the content key (a file the store does not know is hashed before it is decoded, so content scored before needs no decode), so it includes waiting while the same worker runs the model on the image before; decode is wall time from asking to having the bitmap; page apply is the page updating its store with results (rendering follows).',
    '',
    `| photos | backend | mode | workers | ${WORKER_STAGES.join(' | ')} | page apply | page main thread busy | longest page task (all runs) | page tasks > 100 ms (all runs) |`,
    `|---|---|---|---:|${WORKER_STAGES.map(() => '---:').join('|')}|---:|---:|---:|---:|`,
    ...r.speed.map(
      (s) =>
        `| ${s.set} | ${s.backend} | ${MODE_NAMES[s.mode]} | ${s.workers} | ${WORKER_STAGES.map((k) => round(s.median.stageMs[k], 1)).join(' | ')} | ${round(s.median.applyMs, 2)} | ${round(100 * s.median.pageBusyShare, 0)}% | ${round(s.median.longestTaskMs, 0)} | ${s.median.tasksOver100ms} |`,
    ),
    '',
    '| size | bytes | gzip |',
    '|---|---:|---:|',
    `| main-thread JS | ${mb(r.sizes.mainThreadJs.bytes).toFixed(2)} MB | ${mb(r.sizes.mainThreadJs.gzip).toFixed(2)} MB |`,
    `| worker JS (TF.js, static) | ${mb(r.sizes.workerJsStatic.bytes).toFixed(2)} MB | ${mb(r.sizes.workerJsStatic.gzip).toFixed(2)} MB |`,
    `| worker JS incl. lazy wasm/WebGPU backends | ${mb(r.sizes.workerJsWithLazyBackends.bytes).toFixed(2)} MB | ${mb(r.sizes.workerJsWithLazyBackends.gzip).toFixed(2)} MB |`,
    `| all JS | ${mb(r.sizes.allJs.bytes).toFixed(2)} MB | ${mb(r.sizes.allJs.gzip).toFixed(2)} MB |`,
    `| wasm binary (SIMD) | ${mb(r.sizes.wasmSimd.bytes).toFixed(2)} MB | ${mb(r.sizes.wasmSimd.gzip).toFixed(2)} MB |`,
    `| model (all files) | ${mb(r.sizes.modelBytes).toFixed(2)} MB | |`,
  ];
  if (r.firstScore) {
    const f = r.firstScore;
    lines.push(
      '',
      `First score from a cold load (fresh context: no HTTP or code cache, storage or service worker) in a new tab of an open window, the app's default mode (${MODE_NAMES[f.mode]}), ${f.runs.length} runs, median: navigation to drop zone ${f.median.dropZoneMs} ms, to the model ready ${round(f.median.engineReadyAtMs, 0)} ms (model load + warm-up ${round(f.median.loadPlusWarmUpMs, 0)} ms of it), to the score in the page ${round(f.median.scoreArrivedAtMs, 0)} ms; navigation to the dropped photo's score **${f.median.firstScoreMs} ms** (runs: ${f.runs.map((x) => x.firstScoreMs).join(', ')} ms). The worker's wasm heap after that score: ${round(f.median.wasmHeapBytes / 2 ** 20, 1)} MB.`,
      '',
      `The same cold load in a new window (each alternated with one above): Chromium also loads the window's toolbar, a WebUI page in a renderer of its own, on the same cores. Median: drop zone ${f.inNewWindow.median.dropZoneMs} ms, model ready ${round(f.inNewWindow.median.engineReadyAtMs, 0)} ms, first score **${f.inNewWindow.median.firstScoreMs} ms** (runs: ${f.inNewWindow.runs.map((x) => x.firstScoreMs).join(', ')} ms).`,
      '',
      `This machine's first touch of fresh memory: ${f.firstTouch.megabytes} MB written once per 4 KB page in a worker took ${round(f.firstTouch.firstMs, 0)} ms (${round(f.firstTouch.usPerPage, 1)} µs a page), the same pages again ${round(f.firstTouch.againMs, 1)} ms (median of 3 workers).`,
    );
  }
  if (r.memory) {
    const m = r.memory;
    const row = (label: string, k: keyof typeof m.atFirst, scale = 1e6) =>
      `| ${label} | ${m.atFirst[k] === null ? '–' : round((m.atFirst[k] as number) / scale, 2)} | ${m.atTotal[k] === null ? '–' : round((m.atTotal[k] as number) / scale, 2)} |`;
    lines.push(
      '',
      `| memory (wasm, Quick, ${m.workers} workers) | after ${m.atFirst.images} | after ${m.atTotal.images} |`,
      '|---|---:|---:|',
      row('TF.js tensors (count)', 'numTensors', 1),
      row('TF.js tensor MB', 'tensorBytes'),
      row('wasm heap MB', 'wasmHeapBytes'),
      row('worker JS heap MB', 'workerJsHeapBytes'),
      row('worker array buffers MB', 'workerBackingStoreBytes'),
      row('feature cache MB', 'featureCacheBytes'),
      row('page JS heap MB', 'pageJsHeapBytes'),
      '',
      `wasm heap MB by images scored: ${m.wasmSeries.map((x) => `${x.images}: ${x.wasmHeapBytes === null ? '–' : round(x.wasmHeapBytes / 1e6, 1)}`).join(', ')}`,
      '',
      `growth from ${m.atFirst.images} to ${m.atTotal.images} images: page JS heap ${m.pageJsHeapBytesPerImage} B/image (the results the UI keeps), worker JS heap ${m.workerJsHeapBytesPerImage} B/image; the feature vectors in the worker are capped (the newest 2,048; calibration reads the rest from the score store)`,
      '',
      `page JS heap before the first image ${round(m.atStart.pageJsHeapBytes / 1e6, 2)} MB; after ${m.atTotal.images} images and the toolbar's Clear ${round(m.afterClear.pageJsHeapBytes / 1e6, 2)} MB; after the first ${m.atFirst.images} added back and cleared again ${round(m.afterSecondClear.pageJsHeapBytes / 1e6, 2)} MB (TF.js tensors ${m.afterSecondClear.numTensors}, worker JS heap ${round(m.afterSecondClear.workerJsHeapBytes / 1e6, 2)} MB)`,
    );
  }
  lines.push('', `targets: ${Object.entries(r.targets).map(([k, v]) => `${k}=${v === null ? 'n/a' : v ? 'PASS' : 'FAIL'}`).join(', ')}`);
  return lines.join('\n');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
