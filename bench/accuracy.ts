// npm run bench:accuracy [-- --modes fast,accurate --repeats 5 --quick --no-ablations | --ablations 'l2=3,l2=10' --no-detail --no-classical]
// Trains the student heads from the teachers on the train split, then on the validation split prints:
//  1. label-budget tables (0, 10, 100, 238, 1000 MOS labels): this run's student + calibration vs the v1
//     student (bench/baselines/v1) + calibration, (ii) the same backbone trained on the k MOS labels alone
//     and (iii) the teacher itself + calibration (MLLM ensemble on AGIQA-3K, classical on BIQ2021);
//  2. ablations of the distillation choices (losses, reliability, pairs, regularisation, features, resolution);
//  3. the high-resolution blur/noise table (src/node/bench/detail-bench.ts) for the shipped model and v1.
// Writes bench/results/accuracy.{json,md,svg}.
import fs from 'node:fs';
import path from 'node:path';
import { evaluateLabelBudgetOnSplit, type LabelledPrediction } from '../src/core/calibration/label-budget.ts';
import { trainHead } from '../src/core/distill/train-head.ts';
import { featureStats, standardiseRows } from '../src/core/distill/standardise.ts';
import { applyHead, decodeHead, type LinearHead, standardise } from '../src/core/model/head.ts';
import { parseManifest } from '../src/core/model/manifest.ts';
import { correlations } from '../src/core/metrics/evaluate.ts';
import { V1_BASELINE_DIR, v1ModelDir } from '../src/node/bench/baseline-model.ts';
import { runDetailBench } from '../src/node/bench/detail-bench.ts';
import { hiresPhotosPresent } from '../src/node/hires-photos.ts';
import type { ScoreMode } from '../src/core/model/score-mode.ts';
import { ensembleTeachers } from '../src/core/teacher/ensemble.ts';
import { featureSetId, loadBackboneFromDir } from '../src/node/backbone-files.ts';
import { DEFAULT_TAPS } from '../src/core/model/features.ts';
import { labelBudgetSvg, type Panel } from '../src/node/bench/svg-plot.ts';
import { type DatasetId, type DatasetImage, SHARED_DATA, hasSharedData } from '../src/node/datasets.ts';
import { prepareDistillInputs, validate } from '../src/node/distill/distill.ts';
import { crossResolutionPoints, detailFirst } from '../src/node/distill/cross-resolution.ts';
import { buildTrainingSet, DEFAULT_DETAIL_PAIRS, rowKey, type TrainingSet } from '../src/node/distill/training-set.ts';
import { DEFAULT_MODEL_DIR, REPO_ROOT } from '../src/node/model-dir.ts';
import { initTf } from '../src/node/tf-runtime.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const modes = flag('modes', 'fast,accurate').split(',') as ScoreMode[];
const repeats = Number(flag('repeats', '5'));
const quick = args.includes('--quick');
const ablations = !args.includes('--no-ablations');
/** --ablations 'name,name': only these variants (plus default). */
const only = args.includes('--ablations') ? new Set(flag('ablations', '').split(',')) : null;
const detail = !args.includes('--no-detail');
// The classical teachers (BRISQUE, NIQE) take ~15 min to compute on a fresh machine: a BIQ2021 baseline and one ablation.
const classical = !args.includes('--no-classical');
/** Result file names: bench/results/<out>.{json,md,svg}. */
const outName = flag('out', 'accuracy');
/** 0 = label-free (no calibration). */
const BUDGETS = [0, 10, 100, 238, 1000];
// Ablations report the headline budgets except BIQ2021's 1,000 (its kernel solves dominate the run time).
const ABLATION_BUDGETS: Record<DatasetId, number[]> = { agiqa3k: [238], biq2021: [100] };
const DEFAULTS = { l2: 3, pairsPerImage: 20, pairWeight: 1, steps: 300, reliability: true };

if (!hasSharedData()) {
  console.error(`bench:accuracy needs the datasets in ${SHARED_DATA}`);
  process.exit(2);
}
await initTf();
const log = (s: string) => process.stderr.write(`${s}\n`);
const { data, inputs } = await prepareDistillInputs({
  dataRoot: SHARED_DATA,
  datasets: ['agiqa3k', 'biq2021'],
  teacherCache: '.cache/teacher',
  classical,
  synthetic: true,
  log,
});
const backbone = await loadBackboneFromDir(DEFAULT_MODEL_DIR);
const v1Manifest = parseManifest(JSON.parse(fs.readFileSync(path.join(V1_BASELINE_DIR, 'manifest.json'), 'utf8')));
const v1Head = (mode: ScoreMode): LinearHead => {
  const buf = fs.readFileSync(path.join(V1_BASELINE_DIR, v1Manifest.heads[mode].file));
  return decodeHead(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), v1Manifest.heads[mode].kind, v1Manifest.features.length);
};

interface Variant {
  name: string;
  why: string;
  l2?: number;
  pairsPerImage?: number;
  pairWeight?: number;
  pointWeight?: number;
  reliability?: boolean;
  /** Multiplies the weight of synthetic-degradation pairs. */
  syntheticWeight?: number;
  /** Weight of the Detail head's judgments of photos as Quick-head targets (fast mode only; default 1). */
  crossResolution?: number;
  columns?: [number, number];
  /** Pair sources used; the shipped default leaves the classical teachers out. */
  sources?: string[];
  /** Detail head only: photos that get full-resolution pairs (its own training set: their rows change the standardisation). */
  detailPairs?: number;
}
const DEFAULT_SOURCES = ['mllm', 'synthetic', 'detail'];
const VARIANTS: Variant[] = [
  { name: 'default', why: 'MLLM points + pairs, synthetic pairs on photos, fast: the 512 px head\'s judgments of photos, reliability-weighted, l2=3, all taps' },
  { name: 'no cross-resolution', why: 'fast: photos get no point targets from the 512 px head', crossResolution: 0 },
  { name: 'cross-resolution 0.3', why: 'fast: the 512 px head\'s judgments of photos count less', crossResolution: 0.3 },
  { name: '+ full-resolution pairs', why: 'Detail: 400 photos enlarged 2.5x, clean > mild noise and clean > mild blur through the 1:1 patches, in the head\'s own training (weight 1)', detailPairs: 400 },
  { name: 'no synthetic pairs', why: 'photos get no degradation pairs', sources: ['mllm'] },
  { name: 'synthetic weight 0.3', why: 'degradation pairs count less', syntheticWeight: 0.3 },
  { name: 'synthetic weight 3', why: 'degradation pairs count more', syntheticWeight: 3 },
  ...(classical ? [{ name: '+ classical pairs', why: 'BRISQUE/NIQE rankings on photos too', sources: ['mllm', 'synthetic', 'detail', 'classical'] }] : []),
  { name: 'points only', why: 'no pair-wise loss', pairsPerImage: 0 },
  { name: 'pairs only', why: 'no point-wise loss', pointWeight: 0 },
  { name: 'no reliability', why: 'every judgment weighted 1', reliability: false },
  { name: 'pair weight 5', why: 'ranking loss dominates', pairWeight: 5 },
  { name: 'l2=0.1', why: 'much weaker regularisation', l2: 0.1 },
  { name: 'l2=1', why: 'weaker regularisation (v1 default)', l2: 1 },
  { name: 'l2=10', why: 'stronger regularisation', l2: 10 },
  { name: 'last layer only', why: 'mean+std of the 1792-ch conv only', columns: [1056, 4640] },
];

function subset(set: TrainingSet, cols?: [number, number]): TrainingSet {
  if (!cols) return set;
  const [a, b] = cols;
  const dims = b - a;
  const features = new Float32Array(set.rows * dims);
  for (let r = 0; r < set.rows; r++) features.set(set.features.subarray(r * set.dims + a, r * set.dims + b), r * dims);
  return { ...set, features, dims };
}

/** Per mode: the training set and the default head (the Detail head teaches the Quick head: cross-resolution). */
const trained: Partial<Record<ScoreMode, { set: TrainingSet; head: LinearHead }>> = {};

function crossPoints(mode: ScoreMode, set: TrainingSet, v: Variant) {
  const teacher = trained.accurate;
  if (mode !== 'fast' || !teacher) return [];
  return crossResolutionPoints(inputs, teacher, set, v.crossResolution ?? 1);
}

async function train(mode: ScoreMode, set: TrainingSet, v: Variant, base: TrainingSet): Promise<LinearHead> {
  const s = subset(set, v.columns);
  return trainHead({
    kind: 'scalar',
    features: s.features,
    rows: s.rows,
    dims: s.dims,
    points: [...base.points, ...crossPoints(mode, set, v)].map((p) => ({ ...p, weight: v.reliability === false ? 1 : p.weight })),
    pairs: (v.pairsPerImage === 0 ? [] : base.pairs.filter((p) => (v.sources ?? DEFAULT_SOURCES).includes(p.source ?? 'mllm'))).map((p) => ({
      ...p,
      weight: (v.reliability === false ? 1 : p.weight) * (p.source === 'synthetic' || p.source === 'detail' ? (v.syntheticWeight ?? 1) : 1),
    })),
    pointWeight: v.pointWeight ?? 1,
    pairWeight: v.pairWeight ?? DEFAULTS.pairWeight,
    l2: v.l2 ?? DEFAULTS.l2,
    steps: quick ? 100 : DEFAULTS.steps,
    seed: 1,
  });
}

const results: Record<string, unknown> = {};
const md: string[] = ['# bench:accuracy', '', `Validation split (content-hash, 1 in 5); calibration labels drawn from the train split; mean of ${repeats} draws.`, ''];
const panels: Panel[] = [];
// The Detail head first: it teaches the Quick head. A run of fast alone trains it on the side, unreported.
const featureSet = featureSetId(DEFAULT_MODEL_DIR, DEFAULT_TAPS);
const order = detailFirst(modes.includes('fast') ? [...new Set<ScoreMode>([...modes, 'accurate'])] : modes);
for (const mode of order) {
  const t0 = Date.now();
  const set = await buildTrainingSet(inputs, { mode, backbone, featureCache: '.cache/features', featureSet, pairsPerImage: DEFAULTS.pairsPerImage, useReliability: true, seed: 1, detailPairLimit: DEFAULT_DETAIL_PAIRS, onProgress: (l, d, t) => d % 250 === 0 && log(`${l} ${d}/${t}`) });
  log(`${mode}: training set ready (${set.rows} rows) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  // Ablations.
  const ablation: Record<string, Record<string, ReturnType<typeof validate>>> = {};
  let defaultHead: LinearHead | undefined;
  const reported = modes.includes(mode);
  const variants = !ablations || !reported ? VARIANTS.slice(0, 1) : quick ? VARIANTS.slice(0, 2) : VARIANTS.filter((v) => v.name === 'default' || ((!only || only.has(v.name)) && (mode === 'fast' || v.crossResolution === undefined) && (mode === 'accurate' || !v.detailPairs)));
  for (const v of variants) {
    const t = Date.now();
    const vset = v.detailPairs ? await buildTrainingSet(inputs, { mode, backbone, featureCache: '.cache/features', featureSet, pairsPerImage: DEFAULTS.pairsPerImage, useReliability: true, seed: 1, detailPairLimit: v.detailPairs, detailPairWeight: 1 }) : set;
    const head = await train(mode, vset, v, vset);
    if (v.name === 'default') defaultHead = head;
    const s = subset(vset, v.columns);
    ablation[v.name] = Object.fromEntries(inputs.map((ds) => [ds.id, validate(head, s, ds.id as DatasetId, data.get(ds.id as DatasetId)!, ABLATION_BUDGETS[ds.id as DatasetId])]));
    log(`${mode} ${v.name}: ${JSON.stringify(Object.fromEntries(Object.entries(ablation[v.name]!).map(([k, x]) => [k, x.labelFree.srcc.toFixed(3)])))} (${((Date.now() - t) / 1000).toFixed(0)} s)`);
  }
  trained[mode] = { set, head: defaultHead! };
  if (!reported) continue;
  md.push(`## Ablations (${mode})`, '', '| variant | why | AGIQA-3K SRCC, no MOS | AGIQA-3K SRCC / PLCC, 238 MOS | BIQ2021 SRCC, no MOS | BIQ2021 SRCC, 100 MOS |', '|---|---|---|---|---|---|');
  for (const v of variants) {
    const a = ablation[v.name]!.agiqa3k!;
    const b = ablation[v.name]!.biq2021!;
    const cal = (f: typeof a, k: number) => f.calibrated.find((c) => c.k === k);
    md.push(`| ${v.name} | ${v.why} | ${a.labelFree.srcc.toFixed(3)} | ${cal(a, 238)?.srcc.toFixed(3)} / ${cal(a, 238)?.plcc.toFixed(3)} | ${b.labelFree.srcc.toFixed(3)} | ${cal(b, 100)?.srcc.toFixed(3)} |`);
  }
  md.push('');

  // Label-budget curves against the two baselines.
  const curves: Record<string, Record<string, { k: number; srcc: number; plcc: number; rmse: number }[]>> = {};
  for (const ds of inputs) {
    const id = ds.id as DatasetId;
    const images = data.get(id)!.filter((i) => set.rowOf.has(rowKey(id, i.name)));
    const feat = (i: DatasetImage) => {
      const r = set.rowOf.get(rowKey(id, i.name))!;
      return set.features.subarray(r * set.dims, (r + 1) * set.dims);
    };
    const teacher = new Map(ds.teachers.points.size ? ensembleTeachers(ds.teachers.points).judgments.map((j) => [j.image, j.score]) : []);
    const { mean, std } = featureStats(set.features, set.rows, set.dims);
    const zOf = (i: DatasetImage) => standardiseRows(feat(i) as Float32Array, 1, set.dims, mean, std);
    const previous = v1Head(mode);
    const methods: Record<string, (i: DatasetImage) => LabelledPrediction> = {
      'student + calibration': (i) => ({ score: applyHead(defaultHead!, feat(i)).score, z: standardise(defaultHead!, feat(i)), mos: i.mos }),
      'v1 student + calibration': (i) => ({ score: applyHead(previous, feat(i)).score, z: standardise(previous, feat(i)), mos: i.mos }),
      'MOS labels only (same backbone)': (i) => ({ score: 0, z: zOf(i), mos: i.mos }),
    };
    if (teacher.size > 0) {
      methods[id === 'agiqa3k' ? 'MLLM teacher ensemble + calibration' : 'classical teacher (BRISQUE+NIQE) + calibration'] = (i) => ({ score: teacher.get(i.name) ?? NaN, mos: i.mos });
    }
    curves[id] = {};
    const series = [];
    for (const [label, fn] of Object.entries(methods)) {
      const pool = images.filter((i) => i.split === 'train').map(fn).filter((x) => Number.isFinite(x.score));
      const test = images.filter((i) => i.split === 'val').map(fn).filter((x) => Number.isFinite(x.score));
      const pts = BUDGETS.filter((k) => k <= pool.length && !(k === 0 && label.startsWith('MOS'))).map((k) => {
        if (k === 0) {
          const c = correlations(test.map((x) => x.score), test.map((x) => x.mos));
          return { k, srcc: c.srcc, plcc: c.plcc, rmse: NaN };
        }
        const r = evaluateLabelBudgetOnSplit(pool, test, k, quick ? 1 : repeats, 1000, { minResidualLabels: label.startsWith('MOS') ? 3 : 10 });
        return { k, srcc: r.srcc.mean, plcc: r.plcc.mean, rmse: r.rmse.mean };
      });
      curves[id]![label] = pts;
      series.push({ label, points: pts.filter((p) => p.k > 0).map((p) => ({ x: p.k, y: p.srcc })) }); // log-scaled x: no k = 0
      log(`${mode} ${id} ${label}: ${pts.map((p) => `${p.k}:${p.srcc.toFixed(3)}`).join(' ')}`);
    }
    panels.push({ title: `${id} (${mode}) — SRCC on validation`, series });
    md.push(
      `## Label budget, ${id} (${mode}): SRCC / PLCC / RMSE on validation (k = 0: label-free SRCC / PLCC after the VQEG logistic)`,
      '',
      `| method | ${BUDGETS.map((k) => `k=${k}`).join(' | ')} |`,
      `|---|${BUDGETS.map(() => '---').join('|')}|`,
    );
    for (const [label, pts] of Object.entries(curves[id]!)) {
      const cell = (k: number) => {
        const p = pts.find((x) => x.k === k);
        return p ? [p.srcc, p.plcc, p.rmse].filter(Number.isFinite).map((x) => x.toFixed(3)).join(' / ') : '—';
      };
      md.push(`| ${label} | ${BUDGETS.map(cell).join(' | ')} |`);
    }
    md.push('');
  }
  results[mode] = { ablation, curves };
}
backbone.dispose();
if (detail && hiresPhotosPresent()) {
  md.push('## High-resolution detail (blur and noise visible only at full size)', '');
  md.push(...(await runDetailBench(DEFAULT_MODEL_DIR, 'shipped model', log)).markdown);
  md.push(...(await runDetailBench(v1ModelDir(), 'v1 student (baseline)', log)).markdown);
} else if (detail) {
  md.push('## High-resolution detail', '', 'skipped: the photos are not in .cache/photos/hires (npm run photos)', '');
}
const outDir = path.join(REPO_ROOT, 'bench', 'results');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, `${outName}.json`), JSON.stringify({ date: new Date().toISOString(), repeats, quick, results }, null, 2));
fs.writeFileSync(path.join(outDir, `${outName}.md`), md.join('\n') + '\n');
fs.writeFileSync(path.join(outDir, `${outName}.svg`), labelBudgetSvg(panels, 'SRCC'));
console.log(md.join('\n'));
console.log(`\nwrote bench/results/${outName}.{json,md,svg}`);
