// bench:speed — drives the built app in Debian's Chromium and measures, per backend: model load + warm-up,
// end-to-end images/s (decode + preprocess + inference, as the app reports it) on real photos, the JS
// bundle and model sizes, and memory after 200 vs 2,000 images. Prints a Markdown table and writes
// bench/results/speed.json.
//
//   npm run bench:speed                      # builds first, then all backends
//   npx tsx bench/speed.ts --backends wasm --images 200 --runs 3 --memory 2000
//
// Timing targets are judged here, never asserted in tests. Run it on an otherwise idle machine.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { type Browser, type CDPSession, chromium, type Page } from '@playwright/test';
import type { LeafSummary } from '../src/app/test-hook.ts';
import type { ScoreMode } from '../src/core/model/score-mode.ts';
import type { BackendName } from '../src/worker/protocol.ts';
import { CHROMIUM, CHROMIUM_ARGS, WEBGPU_ARGS } from '../e2e/fixtures/chromium.ts';
import { JPEG_EXTENSIONS, listImageFiles } from '../src/node/image-files.ts';
import { median } from '../src/core/metrics/evaluate.ts';
import { startPreview } from './lib/preview-server.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(REPO, 'dist');
const IMAGES_DIR = path.resolve(REPO, '..', 'shared', 'data', 'biq2021', 'images');

const { values: opt } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,webgl,cpu,webgpu' },
    images: { type: 'string', default: '200' },
    runs: { type: 'string', default: '3' },
    memory: { type: 'string', default: '2000' },
    port: { type: 'string', default: '4180' },
    out: { type: 'string', default: 'bench/results/speed.json' },
  },
});
const IMAGES = Number(opt.images);
const RUNS = Number(opt.runs);
const MEMORY_IMAGES = Number(opt.memory);
const ORIGIN = `http://127.0.0.1:${opt.port}`;

/** Software backends are far slower here (PLATFORM.md): a few images are enough to measure them. */
const PLAN: Record<BackendName, { images: number; runs: number; modes: ScoreMode[] }> = {
  wasm: { images: IMAGES, runs: RUNS, modes: ['fast', 'accurate'] },
  webgl: { images: IMAGES, runs: 1, modes: ['fast'] },
  cpu: { images: Math.min(IMAGES, 8), runs: 1, modes: ['fast'] },
  webgpu: { images: Math.min(IMAGES, 5), runs: 1, modes: ['fast'] },
};

const mb = (bytes: number) => bytes / 1e6;
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
  const mainEntry = /src="\/assets\/([^"]+\.js)"/.exec(html)![1]!;
  const main = jsClosure(mainEntry, false);
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

async function openApp(browser: Browser, backend: BackendName) {
  // No service worker: each run measures a first visit, without the precache download competing.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(`${ORIGIN}/?backend=${backend}`);
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
  await page.waitForFunction(
    (n) => {
      const s = window.__leaf!.summary();
      return !s.run.active && s.counts.scored + s.counts.failed >= n;
    },
    settledBefore + files.length,
    { timeout: 3_600_000, polling: 100 },
  );
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
  decodeMsPerImage: number;
  modelMsPerImage: number;
  failed: number;
}

async function benchBackend(browser: Browser, backend: BackendName, mode: ScoreMode, images: string[], runs: number) {
  const results: RunResult[] = [];
  for (let r = 0; r < runs; r++) {
    const { context, page, navToReadyMs, engine } = await openApp(browser, backend);
    if (mode !== 'fast') await page.getByTestId(`mode-${mode}`).click();
    const { wallMs, summary: s } = await scoreAll(page, images);
    results.push({
      navToReadyMs,
      backendMs: engine.timings!.backendMs,
      loadMs: engine.timings!.loadMs,
      warmUpMs: engine.timings!.warmUpMs,
      imagesPerSecond: s.run.imagesPerSecond ?? Number.NaN,
      wallImagesPerSecond: (images.length * 1000) / wallMs,
      decodeMsPerImage: s.run.decodeMs / Math.max(1, s.run.scored),
      modelMsPerImage: s.run.modelMs / Math.max(1, s.run.scored),
      failed: s.counts.failed,
    });
    const last = results.at(-1)!;
    console.error(
      `  ${backend}/${mode} run ${r + 1}/${runs}: load+warm-up ${round(last.loadMs + last.warmUpMs, 0)} ms, ${round(last.imagesPerSecond, 2)} images/s over ${images.length}`,
    );
    await context.close();
  }
  const m = (k: keyof RunResult) => median(results.map((x) => x[k]));
  return {
    backend,
    mode,
    images: images.length,
    runs: results,
    median: {
      loadPlusWarmUpMs: median(results.map((x) => x.loadMs + x.warmUpMs)),
      backendInitMs: m('backendMs'),
      navToReadyMs: m('navToReadyMs'),
      imagesPerSecond: m('imagesPerSecond'),
      msPerImage: 1000 / m('imagesPerSecond'),
      wallImagesPerSecond: m('wallImagesPerSecond'),
      decodeMsPerImage: m('decodeMsPerImage'),
      modelMsPerImage: m('modelMsPerImage'),
    },
  };
}

// ---- memory ------------------------------------------------------------------------------------------

/** CDP for the inference worker's own V8 heap (not reachable from the page). */
async function workerHeap(browser: Browser) {
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'worker' && t.url.includes('inference.worker'));
  if (!target) throw new Error('inference worker target not found');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let nextId = 1;
  const pending = new Map<number, (v: unknown) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const msg = JSON.parse(e.message) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  const send = <T>(method: string) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (v: unknown) => void);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
    });
  return {
    async usage() {
      await send('HeapProfiler.collectGarbage');
      return send<{ usedSize: number; backingStorageSize?: number }>('Runtime.getHeapUsage');
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

async function benchMemory(browser: Browser, total: number) {
  const files = listImages(total);
  const first = Math.min(200, total);
  const { context, page } = await openApp(browser, 'wasm');
  const pageCdp = await context.newCDPSession(page);
  const worker = await workerHeap(browser);
  const atStart = await snapshot(page, pageCdp, worker, 0);
  await scoreAll(page, files.slice(0, first));
  const atFirst = await snapshot(page, pageCdp, worker, first);
  console.error(`  memory: ${first} images done`);
  for (let i = first; i < total; i += 200) {
    await scoreAll(page, files.slice(i, Math.min(total, i + 200)), i);
    if ((i + 200) % 1000 === 0) console.error(`  memory: ${i + 200} images done`);
  }
  const atTotal = await snapshot(page, pageCdp, worker, total);
  await worker.close();
  await context.close();
  const ratio = (k: keyof typeof atFirst) => (typeof atFirst[k] === 'number' && typeof atTotal[k] === 'number' ? round((atTotal[k] as number) / (atFirst[k] as number), 3) : null);
  return {
    atStart,
    atFirst,
    atTotal,
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
  const backends = opt.backends.split(',').map((b) => b.trim()) as BackendName[];
  const loadAvg = os.loadavg();
  console.error(`bench:speed on ${os.cpus().length} cores (${os.cpus()[0]?.model}), load average ${loadAvg.map((x) => x.toFixed(2)).join(' ')}`);
  const server = await startPreview(opt.port);
  const plain = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'] });
  const withGpu = backends.includes('webgpu') ? await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...WEBGPU_ARGS] }) : null;
  try {
    const speed = [];
    for (const backend of backends) {
      const plan = PLAN[backend];
      if (!plan) throw new Error(`unknown backend ${backend}`);
      const images = listImages(plan.images);
      for (const mode of plan.modes) {
        const runs = mode === 'fast' ? plan.runs : 1;
        console.error(`${backend} / ${mode}: ${images.length} images x ${runs} run(s)`);
        speed.push(await benchBackend(backend === 'webgpu' ? withGpu! : plain, backend, mode, images, runs));
      }
    }
    const memory = MEMORY_IMAGES > 0 ? (console.error(`memory: wasm, ${MEMORY_IMAGES} images`), await benchMemory(plain, MEMORY_IMAGES)) : null;
    const sz = sizes();
    const wasmFast = speed.find((s) => s.backend === 'wasm' && s.mode === 'fast');
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', loadAverageAtStart: loadAvg, chromium: execFileSync(CHROMIUM, ['--version']).toString().trim() },
      options: { images: IMAGES, runs: RUNS, memoryImages: MEMORY_IMAGES, backends },
      sizes: sz,
      speed,
      memory,
      targets: {
        loadPlusWarmUpUnder1500ms: wasmFast ? wasmFast.median.loadPlusWarmUpMs <= 1500 : null,
        modelUnder5MB: sz.modelBytes <= 5e6,
        wasmFastAtLeast15ImagesPerSecond: wasmFast ? wasmFast.median.imagesPerSecond >= 15 : null,
        // The inference pipeline (tensors, wasm heap, worker heap) must not grow with the number of images.
        // The page heap grows by the per-image results the UI keeps (reported as bytes/image, not judged).
        inferenceMemoryFlatWithin5Percent: memory
          ? [memory.ratio.numTensors, memory.ratio.wasmHeapBytes, memory.ratio.workerJsHeapBytes].every((r) => r === null || Math.abs(r - 1) <= 0.05)
          : null,
        pageJsHeapWithin5Percent: memory ? memory.ratio.pageJsHeapBytes !== null && Math.abs(memory.ratio.pageJsHeapBytes - 1) <= 0.05 : null,
      },
    };
    const out = path.resolve(REPO, opt.out);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
    console.log(markdown(result));
    console.log(`\nwritten to ${path.relative(REPO, out)}`);
  } finally {
    await plain.close();
    await withGpu?.close();
    server.stop();
  }
}

function markdown(r: {
  speed: Awaited<ReturnType<typeof benchBackend>>[];
  sizes: ReturnType<typeof sizes>;
  memory: Awaited<ReturnType<typeof benchMemory>> | null;
  machine: { loadAverageAtStart: number[]; chromium: string };
  targets: Record<string, boolean | null>;
}): string {
  const lines = [
    `## LEAF speed (${r.machine.chromium}, load average at start ${r.machine.loadAverageAtStart[0]!.toFixed(2)})`,
    '',
    '| backend | mode | images | runs | model load + warm-up (ms) | backend init (ms) | page to ready (ms) | images/s (end to end) | ms/image | decode ms/image (runs ahead, overlapped) | model ms/image (preprocess + inference) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.speed.map(
      (s) =>
        `| ${s.backend} | ${s.mode} | ${s.images} | ${s.runs.length} | ${round(s.median.loadPlusWarmUpMs, 0)} | ${round(s.median.backendInitMs, 0)} | ${round(s.median.navToReadyMs, 0)} | ${round(s.median.imagesPerSecond, 2)} | ${round(s.median.msPerImage, 0)} | ${round(s.median.decodeMsPerImage, 0)} | ${round(s.median.modelMsPerImage, 0)} |`,
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
  if (r.memory) {
    const m = r.memory;
    const row = (label: string, k: keyof typeof m.atFirst, scale = 1e6) =>
      `| ${label} | ${m.atFirst[k] === null ? '–' : round((m.atFirst[k] as number) / scale, 2)} | ${m.atTotal[k] === null ? '–' : round((m.atTotal[k] as number) / scale, 2)} |`;
    lines.push(
      '',
      `| memory (wasm, fast) | after ${m.atFirst.images} | after ${m.atTotal.images} |`,
      '|---|---:|---:|',
      row('TF.js tensors (count)', 'numTensors', 1),
      row('TF.js tensor MB', 'tensorBytes'),
      row('wasm heap MB', 'wasmHeapBytes'),
      row('worker JS heap MB', 'workerJsHeapBytes'),
      row('worker array buffers MB', 'workerBackingStoreBytes'),
      row('feature cache MB', 'featureCacheBytes'),
      row('page JS heap MB', 'pageJsHeapBytes'),
      '',
      `growth from ${m.atFirst.images} to ${m.atTotal.images} images: page JS heap ${m.pageJsHeapBytesPerImage} B/image (the results the UI keeps), worker JS heap ${m.workerJsHeapBytesPerImage} B/image; feature cache ${round(m.atTotal.featureCacheBytes / m.atTotal.images, 0)} B/image (array buffers, kept for calibration)`,
    );
  }
  lines.push('', `targets: ${Object.entries(r.targets).map(([k, v]) => `${k}=${v === null ? 'n/a' : v ? 'PASS' : 'FAIL'}`).join(', ')}`);
  return lines.join('\n');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
