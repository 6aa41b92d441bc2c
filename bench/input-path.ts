// npm run bench:input-path [-- --modes fast,accurate --datasets agiqa3k,biq2021 --limit N]
// The JS model input (src/core/model/input-pixels.ts) against the TF.js ops it replaced
// (tf-resize-reference.ts), on the validation split of ../shared/data: largest difference in the input, the
// pooled features and the shipped student's score, and SRCC against MOS both ways (no labels used).
// Images that get 1:1 patches are skipped (their patches are cut at their own size: no resize in either path).
// Writes bench/results/input-path.{json,md}.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { loadBackboneFromDir } from '../src/node/backbone-files.ts';
import { type DatasetId, loadDataset } from '../src/node/datasets.ts';
import { decodeImageFile } from '../src/node/decode-image.ts';
import { loadCliStudent } from '../src/node/load-default-student.ts';
import { DEFAULT_MODEL_DIR } from '../src/node/model-dir.ts';
import { pooledFeatures, withMeasures } from '../src/core/model/features.ts';
import { wantsPatches } from '../src/core/model/detail-patches.ts';
import { targetSize, toModelInput } from '../src/core/model/preprocess.ts';
import { shrinkForModel } from '../src/core/model/shrink.ts';
import { modelInputViaTfOps } from '../src/core/model/tf-resize-reference.ts';
import { srcc } from '../src/core/metrics/rank.ts';
import type { ScoreMode } from '../src/core/model/score-mode.ts';

const { values: opt } = parseArgs({
  options: {
    modes: { type: 'string', default: 'fast,accurate' },
    datasets: { type: 'string', default: 'agiqa3k,biq2021' },
    limit: { type: 'string', default: '0' },
    out: { type: 'string', default: 'bench/results/input-path.json' },
  },
});
const modes = opt.modes!.split(',') as ScoreMode[];
for (const m of modes) if (m !== 'fast' && m !== 'accurate') throw new Error(`--modes takes fast and/or accurate, not ${m}`);
const datasets = opt.datasets!.split(',') as DatasetId[];
const limit = Number(opt.limit);
if (!Number.isInteger(limit) || limit < 0) throw new Error(`--limit must be a whole number >= 0, not ${opt.limit}`);

const student = await loadCliStudent();
const backbone = await loadBackboneFromDir(DEFAULT_MODEL_DIR);
const { taps, measures = [] } = student.manifest.features;

async function pooled(input: tf.Tensor4D): Promise<Float32Array> {
  const t = pooledFeatures(backbone, input, taps);
  try {
    return withMeasures({ features: (await t.data()) as Float32Array, unseenNoise: 0 }, measures);
  } finally {
    tf.dispose([t, input]);
  }
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

interface Row {
  dataset: DatasetId;
  mode: ScoreMode;
  images: number;
  skippedWithPatches: number;
  maxInputDiff: number;
  maxFeatureDiff: number;
  maxScoreDiff: number;
  srccJs: number;
  srccTfOps: number;
}
const rows: Row[] = [];
for (const id of datasets) {
  let images = loadDataset(id).filter((d) => d.split === 'val');
  if (limit > 0) images = images.slice(0, limit);
  for (const mode of modes) {
    const spec = student.manifest.input.modes[mode];
    const js: number[] = [];
    const ref: number[] = [];
    const mos: number[] = [];
    const row: Row = { dataset: id, mode, images: 0, skippedWithPatches: 0, maxInputDiff: 0, maxFeatureDiff: 0, maxScoreDiff: 0, srccJs: 0, srccTfOps: 0 };
    for (const [k, img] of images.entries()) {
      const pixels = await decodeImageFile(img.path);
      if (spec.detail && wantsPatches(pixels, spec.size, spec.detail)) {
        row.skippedWithPatches++;
        continue;
      }
      const shrunk = shrinkForModel(pixels, spec);
      const [th, tw] = targetSize(shrunk.width, shrunk.height, spec);
      const a = toModelInput(shrunk, spec);
      const b = modelInputViaTfOps(shrunk, th, tw);
      row.maxInputDiff = Math.max(row.maxInputDiff, maxAbsDiff(a.dataSync(), b.dataSync()));
      const [fa, fb] = [await pooled(a), await pooled(b)];
      row.maxFeatureDiff = Math.max(row.maxFeatureDiff, maxAbsDiff(fa, fb));
      const [sa, sb] = [student.scoreFeatures(fa, mode).score, student.scoreFeatures(fb, mode).score];
      row.maxScoreDiff = Math.max(row.maxScoreDiff, Math.abs(sa - sb));
      js.push(sa);
      ref.push(sb);
      mos.push(img.mos);
      if ((k + 1) % 100 === 0) console.error(`  ${id} ${mode}: ${k + 1} / ${images.length}`);
    }
    Object.assign(row, { images: js.length, srccJs: srcc(js, mos), srccTfOps: srcc(ref, mos) });
    rows.push(row);
    console.error(`${id} ${mode}: ${JSON.stringify(row)}`);
  }
}

const md = [
  `## Model input: JS path vs the TF.js ops it replaced (validation split, model ${student.manifest.version})`,
  '',
  '| dataset | mode | images | largest input difference | largest feature difference | largest score difference | SRCC, JS input | SRCC, TF.js ops input | skipped (1:1 patches) |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.dataset} | ${r.mode === 'fast' ? 'Quick' : 'Detail'} | ${r.images} | ${r.maxInputDiff.toExponential(1)} | ${r.maxFeatureDiff.toExponential(1)} | ${r.maxScoreDiff.toExponential(1)} | ${r.srccJs.toFixed(4)} | ${r.srccTfOps.toFixed(4)} | ${r.skippedWithPatches} |`),
  '',
  'Scores are the shipped student without labels. Reproduce: `npm run bench:input-path`.',
].join('\n');
console.log(md);
fs.writeFileSync(opt.out!, JSON.stringify({ model: student.manifest.version, rows }, null, 2) + '\n');
fs.writeFileSync(opt.out!.replace(/\.json$/, '.md'), md + '\n');
