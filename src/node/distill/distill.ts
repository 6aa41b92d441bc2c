// `leaf distill`: teachers -> joint distillation of the student's heads -> validation figures -> model folder.
import fs from 'node:fs';
import path from 'node:path';
import { evaluateLabelBudgetOnSplit } from '../../core/calibration/label-budget.ts';
import type * as tf from '@tensorflow/tfjs';
import { type PointTarget, trainHead } from '../../core/distill/train-head.ts';
import { applyHead, decodeHead, extendHead, type LinearHead, linearOutputs, splitHead, standardise } from '../../core/model/head.ts';
import { type ModelManifest, parseManifest } from '../../core/model/manifest.ts';
import type { ScoreMode } from '../../core/model/score-mode.ts';
import { correlations, median } from '../../core/metrics/evaluate.ts';
import { DEFAULT_TAPS, featureLength, type Measure, MEASURES } from '../../core/model/features.ts';
import { fitMeasureWeight } from '../../core/distill/measure-weight.ts';
import { parseRecordedTeacher } from '../../core/teacher/recorded.ts';
import type { PointJudgment } from '../../core/teacher/types.ts';
import { featureSetId, loadBackboneFromDir } from '../backbone-files.ts';
import { type DatasetId, type DatasetImage, loadDataset } from '../datasets.ts';
import { deriveBackbone } from '../derive-backbone.ts';
import { loadRecordedTeachers, saveRecordedTeacher } from '../teacher/recorded-store.ts';
import { sha256HexSync } from '../sha256.ts';
import { initTf } from '../tf-runtime.ts';
import { writeModel } from '../write-model.ts';
import { crossResolutionPoints, detailFirst } from './cross-resolution.ts';
import { fineTuneBackbone } from './fine-tune-stage.ts';
import { buildTrainingSet, type DatasetInput, rowKey, type TrainingSet } from './training-set.ts';

export interface DistillOptions {
  readonly name: string;
  readonly outDir: string;
  readonly dataRoot: string;
  readonly datasets: readonly DatasetId[];
  readonly modes: readonly ScoreMode[];
  readonly teacherCache: string;
  readonly featureCache: string;
  readonly classical: boolean;
  readonly synthetic: boolean;
  readonly syntheticWeight: number;
  /** Photos per dataset that get degraded copies (DEFAULT_SYNTHETIC_LIMIT when undefined). */
  readonly syntheticLimit?: number;
  /** Weight of the Detail head's judgments as point targets for the Quick head on photos without an MLLM teacher (0 = off). */
  readonly crossResolutionWeight: number;
  readonly syntheticModes: readonly ScoreMode[];
  /** Photos that get full-resolution pairs for the Detail head (detail-pairs.ts); 0 = none. */
  readonly detailPairLimit: number;
  readonly detailPairWeight: number;
  readonly l2: number;
  readonly steps: number;
  /** Optimiser steps of backbone fine-tuning (0 = keep the ImageNet backbone frozen). */
  readonly fineTuneSteps: number;
  readonly fineTuneLearningRate: number;
  readonly pairsPerImage: number;
  readonly pairWeight: number;
  readonly useReliability: boolean;
  readonly seed: number;
  readonly log: (line: string) => void;
  readonly onProgress?: (label: string, done: number, total: number) => void;
}

/** Label budgets reported per dataset: AGIQA-3K's 10% of train, BIQ2021's 100 and 1,000. */
export const BUDGETS: Record<DatasetId, number[]> = { agiqa3k: [238], biq2021: [100, 1000] };

function mllmTeachers(o: InputOptions, id: DatasetId): Map<string, PointJudgment[]> {
  let stored = loadRecordedTeachers(o.teacherCache, id);
  const recordedDir = path.join(o.dataRoot, id, 'teacher');
  if (stored.length === 0 && fs.existsSync(recordedDir)) {
    // First run on a fresh checkout: import the recorded teachers shipped with the data (same as `leaf teacher import`).
    for (const f of fs.readdirSync(recordedDir).filter((x) => x.endsWith('.json')).sort()) {
      const teacher = f.replace(/\.json$/, '');
      const parsed = parseRecordedTeacher(teacher, JSON.parse(fs.readFileSync(path.join(recordedDir, f), 'utf8')));
      saveRecordedTeacher(o.teacherCache, { teacher, source: path.join(recordedDir, f), dataset: id, judgments: parsed.judgments });
      o.log(`imported recorded teacher ${teacher} for ${id}: ${parsed.judgments.length} judgments`);
    }
    stored = loadRecordedTeachers(o.teacherCache, id);
  }
  return new Map(stored.map((t) => [t.teacher, t.judgments]));
}

async function classicalTeachers(o: InputOptions, images: readonly DatasetImage[]): Promise<Map<string, PointJudgment[]>> {
  const { classicalJudgments } = await import('../classical/classical-teacher.ts');
  const byTeacher = await classicalJudgments(
    images.map((i) => i.path),
    { keyBy: 'name', onProgress: (d: number, t: number) => o.onProgress?.('classical teachers', d, t) },
  );
  return new Map(Object.entries(byTeacher).map(([id, js]) => [id, js]));
}

export interface ValidationFigures {
  n: number;
  labelFree: { srcc: number; krcc: number; plcc: number };
  calibrated: { k: number; repeats: number; srcc: number; plcc: number; rmse: number }[];
}

export function validate(
  head: LinearHead,
  set: { features: Float32Array; dims: number; rowOf: ReadonlyMap<string, number> },
  id: DatasetId,
  images: readonly DatasetImage[],
  budgets: readonly number[] = BUDGETS[id],
): ValidationFigures {
  const feat = (img: DatasetImage) => {
    const r = set.rowOf.get(rowKey(id, img.name))!;
    return set.features.subarray(r * set.dims, (r + 1) * set.dims);
  };
  const usable = images.filter((i) => set.rowOf.has(rowKey(id, i.name)));
  const val = usable.filter((i) => i.split === 'val');
  const c = correlations(val.map((i) => applyHead(head, feat(i)).score), val.map((i) => i.mos));
  // Calibration labels come from the train split; the figures are measured on the validation split only.
  const asItem = (i: DatasetImage) => ({ score: applyHead(head, feat(i)).score, z: standardise(head, feat(i)), mos: i.mos });
  const pool = usable.filter((i) => i.split === 'train').map(asItem);
  const test = val.map(asItem);
  const calibrated = budgets
    .filter((k) => k <= pool.length)
    .map((k) => {
      const r = evaluateLabelBudgetOnSplit(pool, test, k, 5, 1000);
      return { k, repeats: r.repeats, srcc: r.srcc.mean, plcc: r.plcc.mean, rmse: r.rmse.mean };
    });
  return { n: val.length, labelFree: { srcc: c.srcc, krcc: c.krcc, plcc: c.plcc }, calibrated };
}

export type InputOptions = Pick<DistillOptions, 'dataRoot' | 'datasets' | 'teacherCache' | 'classical' | 'synthetic' | 'log' | 'onProgress'>;

/** Datasets with their teachers: MLLM judgments where recorded, else classical teachers (rankings only). */
export async function prepareDistillInputs(o: InputOptions): Promise<{ data: Map<DatasetId, DatasetImage[]>; inputs: DatasetInput[] }> {
  const data = new Map<DatasetId, DatasetImage[]>(o.datasets.map((id) => [id, loadDataset(id, o.dataRoot)]));
  const inputs: DatasetInput[] = [];
  for (const id of o.datasets) {
    const images = data.get(id)!;
    const mllm = mllmTeachers(o, id);
    const trainNames = new Set(images.filter((i) => i.split === 'train').map((i) => i.name));
    const files = images.map((i) => ({ name: i.name, path: i.path }));
    if (mllm.size) inputs.push({ id, images: files, teachers: { points: mllm }, trainNames, teacherKind: 'mllm' });
    else {
      // No MLLM judged these photos: rankings from classical teachers (opt-in) and synthetic degradations.
      const points = o.classical ? await classicalTeachers(o, images) : new Map<string, PointJudgment[]>();
      inputs.push({ id, images: files, teachers: { points }, trainNames, pointScale: 0, teacherKind: 'classical', synthetic: o.synthetic });
    }
  }

  return { data, inputs };
}

function hyper(o: DistillOptions, mode: ScoreMode) {
  return { head: 'scalar', classical: o.classical, synthetic: o.synthetic && o.syntheticModes.includes(mode), syntheticWeight: o.syntheticWeight, syntheticLimit: o.syntheticLimit, detailPairs: mode === 'accurate' && o.synthetic ? o.detailPairLimit : 0, detailPairWeight: o.detailPairWeight, crossResolutionWeight: mode === 'fast' ? o.crossResolutionWeight : 0, l2: o.l2, steps: o.steps, pairsPerImage: o.pairsPerImage, pairWeight: o.pairWeight, reliability: o.useReliability, seed: o.seed };
}

/** Weights of the measures following the backbone features, per mode (one per measure, in MEASURES order). */
export type MeasureWeights = Partial<Record<ScoreMode, number[]>>;

/**
 * Heads (over the backbone features only), their measures' weights and per-head records of the model already
 * in `dir`, if it is a valid model folder whose heads were trained on the backbone now in `dir` (a head read
 * from another backbone's features would score nonsense).
 */
export function readPreviousModel(
  dir: string,
): { heads: Partial<Record<ScoreMode, LinearHead>>; measureWeights: MeasureWeights; records: Partial<Record<ScoreMode, unknown>> } | null {
  try {
    const manifest = parseManifest(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
    const backboneSha = sha256HexSync(fs.readFileSync(path.join(dir, 'backbone.bin')));
    if (manifest.files['backbone.bin']?.sha256 !== backboneSha) return null;
    const heads: Partial<Record<ScoreMode, LinearHead>> = {};
    const measureWeights: MeasureWeights = {};
    const records: Partial<Record<ScoreMode, unknown>> = {};
    const measures = manifest.features.measures ?? [];
    for (const mode of ['fast', 'accurate'] as const) {
      const buf = fs.readFileSync(path.join(dir, manifest.heads[mode].file));
      const full = decodeHead(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), manifest.heads[mode].kind, manifest.features.length);
      const { head, extra } = splitHead(full, featureLength(manifest.features.taps));
      heads[mode] = head;
      measureWeights[mode] = MEASURES.map((m) => extra[measures.indexOf(m)]?.[0] ?? 0);
      records[mode] = (manifest.provenance.heads as Record<string, unknown> | undefined)?.[mode] ?? { note: 'trained before per-head records were kept' };
    }
    return { heads, measureWeights, records };
  } catch {
    return null;
  }
}

interface HeadsOnBackbone {
  heads: Partial<Record<ScoreMode, LinearHead>>;
  measureWeights: MeasureWeights;
  /** How each mode's measure weights were fitted (for the head's record). */
  measureFits: Partial<Record<ScoreMode, Record<string, unknown>>>;
  metrics: Record<string, unknown>;
  summaries: Record<string, unknown>;
  setFor: (mode: ScoreMode) => Promise<TrainingSet>;
  /** Quick-mode point targets including the cross-resolution ones (what the Quick head was trained on). */
  fastPoints?: PointTarget[];
}

/** Trains the heads of `modes` on one backbone's features, the Detail head first (it teaches the Quick head). */
async function trainHeadsOn(
  o: DistillOptions,
  backbone: tf.GraphModel,
  featureSet: string,
  prepared: { data: Map<DatasetId, DatasetImage[]>; inputs: DatasetInput[] },
  modes: readonly ScoreMode[],
  label: string,
): Promise<HeadsOnBackbone> {
  const { data, inputs } = prepared;
  const out: HeadsOnBackbone = { heads: {}, measureWeights: {}, measureFits: {}, metrics: {}, summaries: {}, setFor: async () => undefined as never };
  const sets: Partial<Record<ScoreMode, TrainingSet>> = {};
  out.setFor = async (mode: ScoreMode) =>
    (sets[mode] ??= await buildTrainingSet(inputs, {
      mode,
      backbone,
      featureCache: o.featureCache,
      featureSet,
      pairsPerImage: o.pairsPerImage,
      useReliability: o.useReliability,
      seed: o.seed,
      syntheticWeight: o.syntheticWeight,
      syntheticLimit: o.syntheticLimit,
      syntheticModes: o.syntheticModes,
      detailPairLimit: o.detailPairLimit,
      detailPairWeight: o.detailPairWeight,
      onProgress: o.onProgress,
    }));
  for (const mode of detailFirst(modes)) {
    const set = await out.setFor(mode);
    out.summaries[mode] = set.summary;
    let points = set.points;
    if (mode === 'fast' && o.crossResolutionWeight > 0) {
      const teacherHead = out.heads.accurate ?? readPreviousModel(o.outDir)?.heads.accurate;
      if (!teacherHead) throw new Error('cross-resolution distillation needs a Detail (accurate) head: train --modes accurate,fast, or pass --cross-resolution-weight 0');
      const extra = crossResolutionPoints(inputs, { head: teacherHead, set: await out.setFor('accurate') }, set, o.crossResolutionWeight);
      points = [...points, ...extra];
      out.fastPoints = points;
      o.log(`${label}fast: ${extra.length} cross-resolution point targets from the accurate head`);
    }
    o.log(`${label}${mode}: ${set.rows} images, ${points.length} point and ${set.pairs.length} pair targets`);
    out.heads[mode] = await trainHead({
      kind: 'scalar',
      features: set.features,
      rows: set.rows,
      dims: set.dims,
      points,
      pairs: set.pairs,
      pairWeight: o.pairWeight,
      l2: o.l2,
      steps: o.steps,
      seed: o.seed,
      onStep: (step, loss) => {
        o.onProgress?.(`train ${label}${mode}`, step + 1, o.steps);
        if (step === o.steps - 1) o.log(`train ${label}${mode}: final loss ${loss.toFixed(4)}`);
      },
    });
    const fit = fitUnseenNoise(out.heads[mode]!, set);
    out.measureWeights[mode] = [fit.weight];
    out.measureFits[mode] = { 'unseen-noise': fit };
    if (fit.medians) {
      const m = fit.medians;
      o.log(`${label}${mode}: unseen-noise weight ${fit.weight.toFixed(4)} from ${fit.pairs} full-resolution pairs; clean ranked first ${fit.rightBefore} -> ${fit.rightAfter}; median measure clean ${m.clean.toFixed(2)}, noisy ${m.noisy.toFixed(2)}, blurred ${m.blurred.toFixed(2)}`);
    }
    out.metrics[mode] = Object.fromEntries(o.datasets.map((id) => [id, validate(out.heads[mode]!, set, id, data.get(id)!)]));
    o.log(`${label}${mode} validation: ${JSON.stringify(out.metrics[mode])}`);
  }
  return out;
}

/**
 * The unseen-noise weight for a trained head, from its full-resolution pairs (none: 0, the measure unused),
 * with how many pairs the head put the right way round before and after adding the measure, and the
 * measure's median on the clean photos and on each kind of copy.
 */
function fitUnseenNoise(head: LinearHead, set: TrainingSet) {
  const pairs = set.measurePairs.map((p) => ({ rawA: linearOutputs(head, p.a)[0]!, rawB: linearOutputs(head, p.b)[0]!, measureA: p.measureA, measureB: p.measureB, pAB: p.pAB }));
  const weight = fitMeasureWeight(pairs);
  const right = (c: number) => pairs.filter((p) => p.rawA + c * p.measureA > p.rawB + c * p.measureB).length;
  const of = (kind: string) => median(set.measurePairs.filter((p) => p.kind === kind).map((p) => p.measureB));
  const medians = pairs.length ? { clean: median(set.measurePairs.map((p) => p.measureA)), noisy: of('noisy'), blurred: of('blurred') } : null;
  return { weight, pairs: pairs.length, rightBefore: right(0), rightAfter: right(weight), medians };
}

export async function distill(o: DistillOptions): Promise<ModelManifest> {
  await initTf();
  const prepared = await prepareDistillInputs(o);
  let fineTuning: Record<string, unknown> | undefined;
  if (o.fineTuneSteps > 0) {
    fineTuning = await fineTuneBackbone(o, prepared, (backbone, featureSet, modes, label) => trainHeadsOn(o, backbone, featureSet, prepared, modes, label));
  } else {
    // The backbone always follows from the flags: the derived ImageNet one when nothing is fine-tuned.
    const r = deriveBackbone(o.outDir);
    o.log(`derived backbone from nsfwjs: ${r.bytes} bytes`);
  }
  const backbone = await loadBackboneFromDir(o.outDir);
  const featureSet = featureSetId(o.outDir, DEFAULT_TAPS);
  const trained = await trainHeadsOn(o, backbone, featureSet, prepared, o.modes, '');
  const heads = trained.heads as Record<ScoreMode, LinearHead>;
  const { metrics, summaries, measureWeights, measureFits } = trained;
  const previous = readPreviousModel(o.outDir);
  const records = {} as Record<ScoreMode, unknown>;
  for (const mode of ['fast', 'accurate'] as const) {
    if (heads[mode]) {
      records[mode] = { trainedAt: new Date().toISOString(), teachers: summaries[mode], hyperparameters: hyper(o, mode), measures: measureFits[mode], validation: metrics[mode] };
    } else if (previous?.heads[mode]) {
      heads[mode] = previous.heads[mode];
      measureWeights[mode] = previous.measureWeights[mode];
      records[mode] = previous.records[mode];
    } else {
      heads[mode] = heads[o.modes[0]!]!;
      measureWeights[mode] = measureWeights[o.modes[0]!];
      records[mode] = { note: `no ${mode} head trained yet: uses the ${o.modes[0]} head` };
    }
  }
  // The measures follow the backbone features; a head weighs them with what was fitted for it (else 0).
  const measures: readonly Measure[] = MEASURES;
  const shipped = Object.fromEntries(
    (['fast', 'accurate'] as const).map((m) => [m, extendHead(heads[m], measures.map((_, i) => [measureWeights[m]?.[i] ?? 0]))]),
  ) as Record<ScoreMode, LinearHead>;
  backbone.dispose();
  // The CLI scores with the accurate head once one is trained: it ranked better on both datasets
  // (bench:accuracy); the browser app keeps its own fast default for speed.
  const accurateTrained = o.modes.includes('accurate') || (records.accurate as { trainedAt?: string } | undefined)?.trainedAt !== undefined;
  return writeModel({
    dir: o.outDir,
    name: o.name,
    defaultMode: accurateTrained ? 'accurate' : 'fast',
    heads: shipped,
    measures,
    provenance: {
      method: fineTuning
        ? 'LEAF joint distillation: reliability-weighted point-wise (score) + pair-wise (Thurstone-derived preferences) losses, first through the backbone top (expanded_conv_14..16 + Conv_1, Quick view), then heads on the fine-tuned backbone\'s pooled features; no MOS used for training'
        : 'LEAF joint distillation: reliability-weighted point-wise (score) + pair-wise (Thurstone-derived preferences) losses on frozen pooled backbone features; no MOS used for training',
      backbone: fineTuning ? { fineTuned: fineTuning } : { fineTuned: false },
      datasets: o.datasets,
      split: 'validation = images whose content sha256 starts with a multiple of 5 (first 8 hex digits); trained on the rest',
      heads: records,
    },
    metrics: {
      validation: Object.fromEntries((['fast', 'accurate'] as const).map((m) => [m, (records[m] as { validation?: unknown }).validation ?? null])),
      note: 'SRCC/PLCC on the validation split (label-free); calibrated = k MOS labels drawn from the train split, measured on validation, mean of 5 draws',
    },
  });
}
