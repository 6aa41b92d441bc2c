// npm run bench:fine-tune [-- --steps 200 --lr 2e-5 --head-lr 1e-5 --validate-every 50]
// Backbone fine-tuning on this machine, measured on the validation split without writing a model:
// starts from the shipped student (frozen ImageNet backbone + its Quick head), fine-tunes the top blocks
// from cached trunk activations with the joint loss (checkpointed, resumable: rerun the same command),
// logs the co-trained head's label-free SRCC as it goes, then, as `leaf distill` would, trains a fresh
// Quick head on the fine-tuned features and reports label-free and calibrated figures next to the same
// evaluation of the frozen backbone, in the same run. Writes bench/results/fine-tune.{json,md}.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { forEachTopFeatureRow } from '../src/core/distill/fine-tune-top.ts';
import { trainHead } from '../src/core/distill/train-head.ts';
import { BACKBONE_SCOPE, DEFAULT_TAPS } from '../src/core/model/features.ts';
import { RESIZE_BY_MODE } from '../src/core/model/preprocess.ts';
import { type TopParams, topParamsFromGraph } from '../src/core/model/top-blocks.ts';
import { featureSetId, loadBackboneFromDir } from '../src/node/backbone-files.ts';
import { hasSharedData, SHARED_DATA } from '../src/node/datasets.ts';
import { crossResolutionPoints } from '../src/node/distill/cross-resolution.ts';
import { prepareDistillInputs, readPreviousModel, validate, type ValidationFigures } from '../src/node/distill/distill.ts';
import { runFineTune, trunkRowsOf } from '../src/node/distill/fine-tune.ts';
import { buildTrainingSet, syntheticPhotos, type TrainingSet } from '../src/node/distill/training-set.ts';
import { cacheTrunkActivations, trunkEntries, trunkStoreBase } from '../src/node/distill/trunk-activations.ts';
import type { FeatureTable } from '../src/node/feature-store.ts';
import { DEFAULT_MODEL_DIR, REPO_ROOT } from '../src/node/model-dir.ts';
import { initTf } from '../src/node/tf-runtime.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const steps = Number(flag('steps', '200'));
const lr = Number(flag('lr', '2e-5'));
const headLr = Number(flag('head-lr', '1e-5'));
const validateEvery = Number(flag('validate-every', '50'));
const featureCache = flag('feature-cache', '.cache/features');
if (!hasSharedData()) {
  console.error(`bench:fine-tune needs the datasets in ${SHARED_DATA}`);
  process.exit(2);
}
const started = Date.now();
const log = (s: string) => process.stderr.write(`${new Date().toISOString()} ${s}\n`);
await initTf();
const manifest = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODEL_DIR, 'manifest.json'), 'utf8'));
if (manifest.provenance.backbone?.fineTuned) {
  console.error('bench:fine-tune starts from a frozen-backbone student; the shipped one is already fine-tuned');
  process.exit(2);
}
const backbone = await loadBackboneFromDir(DEFAULT_MODEL_DIR);
const featureSet = featureSetId(DEFAULT_MODEL_DIR, DEFAULT_TAPS);
const { data, inputs } = await prepareDistillInputs({ dataRoot: SHARED_DATA, datasets: ['agiqa3k', 'biq2021'], teacherCache: '.cache/teacher', classical: false, synthetic: true, log });
const common = { backbone, featureCache, featureSet, pairsPerImage: 20, useReliability: true, seed: 1, syntheticWeight: 1, syntheticModes: ['fast', 'accurate'] as const };
const fast = await buildTrainingSet(inputs, { ...common, mode: 'fast' });
const accurate = await buildTrainingSet(inputs, { ...common, mode: 'accurate' });
const shipped = readPreviousModel(DEFAULT_MODEL_DIR);
if (!shipped?.heads.fast || !shipped.heads.accurate) throw new Error(`${DEFAULT_MODEL_DIR} has no usable heads`);
const points = [...fast.points, ...crossResolutionPoints(inputs, { head: shipped.heads.accurate, set: accurate }, fast, 1)];

const spec = RESIZE_BY_MODE.fast;
const trunks = new Map<string, FeatureTable>();
for (const ds of inputs) {
  const store = await cacheTrunkActivations(trunkEntries(ds.images, ds.synthetic ? syntheticPhotos(ds) : [], 1), {
    backbone,
    spec,
    storeBase: trunkStoreBase(featureCache, featureSet, ds.id, spec),
    onProgress: (d, t) => d % 500 === 0 && log(`trunk activations ${ds.id}: ${d}/${t}`),
  });
  trunks.set(ds.id, store.read());
}
const trajectory: { step: number; srcc: Record<string, number> }[] = [];
const run = `bench-${featureSet}-lr${lr}-head${headLr}`;
const trainStart = Date.now();
let firstStep = 0;
const final = await runFineTune({
  backbone,
  set: fast,
  points,
  trunks,
  head: shipped.heads.fast,
  steps,
  seed: 1,
  learningRate: lr,
  headLearningRate: headLr,
  checkpoint: path.join(featureCache, featureSet, `${run}.ckpt`),
  run,
  checkpointEvery: 25,
  validation: [...data].flatMap(([id, imgs]) => imgs.filter((i) => i.split === 'val').map((i) => ({ dataset: id, name: i.name, mos: i.mos }))),
  validateEvery,
  onValidation: (step, srcc) => trajectory.push({ step, srcc }),
  onStart: (step) => (firstStep = step),
  log,
});
const trainSeconds = (Date.now() - trainStart) / 1000;

/** The Quick training set with every row that has a trunk activation recomputed through `params`. */
function tunedSet(params: TopParams): TrainingSet {
  const features = new Float32Array(fast.features);
  const { rows, setRows } = trunkRowsOf(fast, trunks);
  forEachTopFeatureRow(params, rows, (r, f) => features.set(f, setRows[r]! * fast.dims));
  return { ...fast, features };
}

/** A fresh Quick head on a feature set, as `leaf distill` trains it, and its validation figures. */
async function evaluate(set: TrainingSet): Promise<Record<string, ValidationFigures>> {
  const head = await trainHead({ kind: 'scalar', features: set.features, rows: set.rows, dims: set.dims, points, pairs: set.pairs, pairWeight: 1, l2: 3, steps: 300, seed: 1 });
  return Object.fromEntries((['agiqa3k', 'biq2021'] as const).map((id) => [id, validate(head, set, id, data.get(id)!)]));
}

const frozenParams = topParamsFromGraph(backbone.weights as Record<string, tf.Tensor[]>, BACKBONE_SCOPE);
log('evaluating the frozen backbone (top recomputed from the trunk cache, as for the fine-tuned one)');
const frozenFigures = await evaluate(tunedSet(frozenParams));
log(`evaluating the fine-tuned backbone after ${final.step} steps`);
const tunedFigures = await evaluate(tunedSet(final.params));

const cell = (f: ValidationFigures, k: number) => {
  if (k === 0) return f.labelFree.srcc.toFixed(3);
  const c = f.calibrated.find((x) => x.k === k);
  return c ? `${c.srcc.toFixed(3)} / ${c.plcc.toFixed(3)}` : '–';
};
const row = (name: string, f: Record<string, ValidationFigures>) =>
  `| ${name} | ${cell(f.agiqa3k!, 0)} | ${cell(f.agiqa3k!, 238)} | ${cell(f.biq2021!, 0)} | ${cell(f.biq2021!, 100)} | ${cell(f.biq2021!, 1000)} |`;
const md = [
  `# Backbone fine-tuning (Quick view, 224 px) — ${new Date().toISOString().slice(0, 10)}`,
  '',
  `Top blocks (expanded_conv_14..16 + Conv_1) fine-tuned for ${final.step} steps (Adam, top lr ${lr}, head lr ${headLr}; 12 teacher/synthetic pairs + 8 point targets per step) from cached trunk activations; this run trained steps ${firstStep}..${final.step} in ${trainSeconds.toFixed(0)} s (shared 2-core machine). Validation split; a fresh ridge head (as \`leaf distill\` trains it) on each backbone's Quick features; calibrated = mean of 5 label draws from the train split, SRCC / PLCC.`,
  '',
  '| backbone | AGIQA-3K SRCC, no MOS | AGIQA-3K, 238 MOS | BIQ2021 SRCC, no MOS | BIQ2021, 100 MOS | BIQ2021, 1,000 MOS |',
  '|---|---|---|---|---|---|',
  row('frozen ImageNet (shipped)', frozenFigures),
  row(`fine-tuned, ${final.step} steps`, tunedFigures),
  '',
  'Label-free SRCC of the head trained jointly with the top, during training:',
  '',
  '| step | AGIQA-3K | BIQ2021 |',
  '|---|---|---|',
  ...trajectory.map((t) => `| ${t.step} | ${t.srcc.agiqa3k?.toFixed(3)} | ${t.srcc.biq2021?.toFixed(3)} |`),
  '',
  `Reproduce: \`npm run bench:fine-tune -- --steps ${steps} --lr ${lr} --head-lr ${headLr}\` (resumes from its checkpoint).`,
  '',
].join('\n');
const out = path.join(REPO_ROOT, 'bench', 'results');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'fine-tune.md'), md);
fs.writeFileSync(
  path.join(out, 'fine-tune.json'),
  JSON.stringify({ date: new Date().toISOString(), steps: final.step, firstStep, lr, headLr, trainSeconds, totalSeconds: (Date.now() - started) / 1000, frozen: frozenFigures, fineTuned: tunedFigures, trajectory }, null, 2),
);
console.log(md);
tf.dispose([...frozenParams.values(), ...final.params.values(), ...(final.optimizer?.values() ?? [])]);
