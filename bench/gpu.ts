// bench:gpu — the shipped student on a real GPU through the same tfjs-backend-webgpu the app uses, in Node
// with Dawn (npm package `webgpu`), so a GPU server without a browser can measure it. Per mode: images/s
// end to end as the app scores one image at a time (decode excluded, preprocessing included), and the
// backbone's images/s per batch size; scores are checked against a wasm run of the same files.
//
//   npm run bench:gpu                                     # webgpu; needs a GPU with a Vulkan/Metal/D3D12 driver
//   npx tsx bench/gpu.ts --backend wasm --out scratch/ref # the reference scores (any machine)
//   npx tsx bench/gpu.ts --reference scratch/ref/gpu-wasm.json --photos DIR --hires DIR
//
// Writes gpu-<backend>.{json,md} to --out (default bench/results). Timings are judged here, never in tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { median } from '../src/core/metrics/evaluate.ts';
import { DEFAULT_TAPS, pooledFeatures } from '../src/core/model/features.ts';
import { type Pixels, RESIZE_BY_MODE, type ResizeSpec, toModelInput } from '../src/core/model/preprocess.ts';
import { SCORE_MODES, type ScoreMode } from '../src/core/model/score-mode.ts';
import { shrinkForModel } from '../src/core/model/shrink.ts';
import { loadStudent } from '../src/core/model/student.ts';
import { loadBackboneFromDir } from '../src/node/backbone-files.ts';
import { decodeImageFile } from '../src/node/decode-image.ts';
import { JPEG_EXTENSIONS, listImageFiles } from '../src/node/image-files.ts';
import { DEFAULT_MODEL_DIR, modelDirReader, REPO_ROOT } from '../src/node/model-dir.ts';
import { initTf } from '../src/node/tf-runtime.ts';
import { type GpuAdapterInfo, installNodeWebGpu } from '../src/node/webgpu-node.ts';

const { values: opt } = parseArgs({
  options: {
    backend: { type: 'string', default: 'webgpu' },
    model: { type: 'string', default: DEFAULT_MODEL_DIR },
    photos: { type: 'string', default: path.resolve(REPO_ROOT, '..', 'shared', 'data', 'biq2021', 'images') },
    count: { type: 'string', default: '32' },
    hires: { type: 'string', default: path.join(REPO_ROOT, '.cache', 'photos', 'hires') },
    batches: { type: 'string', default: '1,8,32,128' },
    'detail-batches': { type: 'string', default: '1,4,16' },
    seconds: { type: 'string', default: '2' },
    reference: { type: 'string' },
    out: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'results') },
  },
});
const backendName = opt.backend!;
if (backendName !== 'webgpu' && backendName !== 'wasm') throw new Error(`--backend must be webgpu or wasm, not "${backendName}"`);
function batchList(flag: string, text: string): number[] {
  const sizes = text.split(',').map(Number);
  if (sizes.some((b) => !Number.isInteger(b) || b < 1)) throw new Error(`--${flag} takes positive integers, e.g. 1,8,32 (got "${text}")`);
  return sizes;
}
const quickBatches = batchList('batches', opt.batches!);
// A 512 px view's largest activation is ~50 MB per image: WebGPU buffer limits cap Detail batches lower.
const detailBatches = batchList('detail-batches', opt['detail-batches']!);
const MODE_NAME: Record<ScoreMode, string> = { fast: 'Quick', accurate: 'Detail' };
const log = (s: string) => process.stderr.write(`${new Date().toISOString()} ${s}\n`);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function startBackend(): Promise<GpuAdapterInfo | null> {
  if (backendName === 'wasm') {
    const running = await initTf('wasm');
    if (running !== 'wasm') throw new Error(`the wasm backend did not start (TF.js fell back to ${running})`);
    return null;
  }
  const info = await installNodeWebGpu();
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs-backend-webgpu failed to initialise (see the warning above)');
  await tf.ready();
  return info;
}

interface Photo {
  readonly name: string;
  readonly pixels: Pixels;
}

async function decodeAll(files: readonly string[]): Promise<Photo[]> {
  return Promise.all(files.map(async (f) => ({ name: path.basename(f), pixels: await decodeImageFile(f) })));
}

const started = Date.now();
const gpu = await startBackend();
log(`backend ${tf.getBackend()}${gpu ? ` on ${gpu.description || gpu.device || gpu.vendor}` : ''}`);
const loadStart = performance.now();
const student = await loadStudent(modelDirReader(opt.model!));
await student.warmUp();
const loadMs = performance.now() - loadStart;
const photos = await decodeAll(listImageFiles(opt.photos!, { extensions: JPEG_EXTENSIONS }).slice(0, Number(opt.count)));
const hires = fs.existsSync(opt.hires!) ? await decodeAll(listImageFiles(opt.hires!, { extensions: JPEG_EXTENSIONS })) : [];
if (photos.length === 0) throw new Error(`no JPEG photos in ${opt.photos}`);
log(`${photos.length} photos, ${hires.length} high-resolution photos decoded; model loaded + warmed up in ${loadMs.toFixed(0)} ms`);

// --- End to end, one image at a time, as the app's worker scores them.
interface EndToEndRow {
  readonly setting: string;
  readonly mode: ScoreMode;
  readonly images: number;
  readonly medianMs: number;
  readonly imagesPerSecond: number;
}
const scores: Record<string, Record<string, number>> = {};
const endToEnd: EndToEndRow[] = [];
async function timeEndToEnd(setting: string, set: readonly Photo[], mode: ScoreMode): Promise<void> {
  if (set.length === 0) return;
  await student.score(set[0]!.pixels, mode); // this image size's kernels compiled before timing
  const ms: number[] = [];
  const byName = (scores[`${setting}`] ??= {});
  for (const p of set) {
    const t = performance.now();
    byName[p.name] = (await student.score(p.pixels, mode)).score;
    ms.push(performance.now() - t);
  }
  const m = median(ms);
  endToEnd.push({ setting, mode, images: set.length, medianMs: round(m, 2), imagesPerSecond: round(1000 / m) });
  log(`${setting}: median ${m.toFixed(1)} ms per image`);
}
for (const mode of SCORE_MODES) await timeEndToEnd(`${MODE_NAME[mode]}, ${describeSize(photos)}`, photos, mode);
await timeEndToEnd(`Detail, ${describeSize(hires)} (global view + 1:1 patches)`, hires, 'accurate');

function describeSize(set: readonly Photo[]): string {
  if (set.length === 0) return 'none';
  const mp = median(set.map((p) => (p.pixels.width * p.pixels.height) / 1e6));
  return mp < 1 ? `${set[0]!.pixels.width}x${set[0]!.pixels.height} photos` : `${mp.toFixed(0)} MP photos`;
}

// --- The backbone + pooling alone, batched: what a GPU gains when it is fed many images at once.
interface BatchRow {
  readonly view: string;
  readonly batch: number;
  readonly imagesPerSecond: number;
  readonly msPerBatch: number;
  /** First image's pooled features in this batch against the same image alone: a batch must not change them. */
  readonly maxDiffVsAlone: number;
}
const batched: BatchRow[] = [];
const backbone = await loadBackboneFromDir(opt.model!);
async function timeBatches(view: string, spec: ResizeSpec, sizes: readonly number[]): Promise<void> {
  const stack = tf.tidy(() => tf.concat(photos.map((p) => toModelInput(shrinkForModel(p.pixels, spec), spec))) as tf.Tensor4D);
  let alone: Float32Array | undefined;
  try {
    for (const b of sizes) {
      const input = tf.tidy(() => tf.gather(stack, tf.tensor1d(Array.from({ length: b }, (_, i) => i % photos.length), 'int32')) as tf.Tensor4D);
      const runOnce = async () => {
        const pooled = pooledFeatures(backbone, input, DEFAULT_TAPS);
        const rows = (await pooled.data()) as Float32Array;
        pooled.dispose();
        return rows.subarray(0, pooled.shape[1]);
      };
      try {
        const first = await runOnce(); // also compiles the kernels for this batch shape before timing
        alone ??= first;
        const maxDiffVsAlone = first.reduce((m, v, i) => Math.max(m, Math.abs(v - alone![i]!)), 0);
        const times: number[] = [];
        const until = performance.now() + Number(opt.seconds) * 1000;
        while (times.length < 3 || performance.now() < until) {
          const t = performance.now();
          await runOnce();
          times.push(performance.now() - t);
        }
        const m = median(times);
        batched.push({ view, batch: b, msPerBatch: round(m, 2), imagesPerSecond: round((b * 1000) / m), maxDiffVsAlone });
        log(`${view} batch ${b}: ${((b * 1000) / m).toFixed(1)} images/s`);
      } finally {
        input.dispose();
      }
    }
  } finally {
    stack.dispose();
  }
}
const quickSpec = RESIZE_BY_MODE.fast;
const detailView: ResizeSpec = { fit: RESIZE_BY_MODE.accurate.fit, size: RESIZE_BY_MODE.accurate.size };
await timeBatches(`Quick view (${quickSpec.size}x${quickSpec.size})`, quickSpec, quickBatches);
await timeBatches(`Detail global view (${detailView.size} px longest side)`, detailView, detailBatches);

// --- Same files, same scores? Compared with a reference run of this bench (e.g. on wasm).
let agreement: { setting: string; images: number; maxAbsDiff: number }[] | null = null;
if (opt.reference) {
  const ref = JSON.parse(fs.readFileSync(opt.reference, 'utf8')) as { scores: typeof scores };
  agreement = Object.entries(scores).map(([setting, byName]) => {
    const diffs = Object.entries(byName).flatMap(([name, s]) => {
      const r = ref.scores[setting]?.[name];
      return r === undefined ? [] : [Math.abs(s - r)];
    });
    return { setting, images: diffs.length, maxAbsDiff: diffs.length ? Math.max(...diffs) : Number.NaN };
  });
}

const result = {
  date: new Date().toISOString(),
  backend: tf.getBackend(),
  gpu,
  cpu: `${os.cpus()[0]?.model ?? 'unknown'} x${os.cpus().length}`,
  node: process.version,
  modelVersion: student.manifest.version,
  loadAndWarmUpMs: Math.round(loadMs),
  endToEnd,
  batched,
  agreement,
  scores,
  seconds: Math.round((Date.now() - started) / 1000),
};
fs.mkdirSync(opt.out!, { recursive: true });
const base = path.join(opt.out!, `gpu-${backendName}`);
fs.writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
const device = gpu ? [gpu.description, gpu.vendor, gpu.architecture, gpu.device].filter(Boolean).join(' / ') : result.cpu;
const md = [
  `# The student on ${backendName === 'webgpu' ? 'a real GPU (tfjs-backend-webgpu, Dawn in Node)' : 'wasm in Node'} — ${result.date.slice(0, 10)}`,
  '',
  `Device: ${device}. Model ${result.modelVersion}; load + warm-up ${result.loadAndWarmUpMs} ms; Node ${result.node}.`,
  '',
  'End to end, one image at a time as the app scores (preprocessing + backbone + head; decoding excluded), median:',
  '',
  '| setting | images | ms per image | images/s |',
  '|---|---|---|---|',
  ...endToEnd.map((r) => `| ${r.setting} | ${r.images} | ${r.medianMs} | ${r.imagesPerSecond} |`),
  '',
  `Backbone + pooling per batch size (median over at least 3 batches, ${opt.seconds} s each; batches of the first ${photos.length} photos' views, repeated):`,
  '',
  '| view | batch | ms per batch | images/s | features of image 1: max abs. difference from batch 1 |',
  '|---|---|---|---|---|',
  ...batched.map((r) => `| ${r.view} | ${r.batch} | ${r.msPerBatch} | ${r.imagesPerSecond} | ${r.maxDiffVsAlone.toExponential(1)} |`),
  ...(agreement
    ? ['', `Scores against the reference run (${path.basename(opt.reference!)}), same files:`, '', '| setting | images | max abs. score difference (1-5 scale) |', '|---|---|---|', ...agreement.map((a) => `| ${a.setting} | ${a.images} | ${a.maxAbsDiff.toExponential(2)} |`)]
    : []),
  '',
  `Reproduce: \`npx tsx bench/gpu.ts --backend ${backendName}${opt.reference ? ' --reference <gpu-wasm.json of a wasm run on the same files>' : ''}\`.`,
  '',
].join('\n');
fs.writeFileSync(`${base}.md`, md);
console.log(md);
student.dispose();
backbone.dispose();
