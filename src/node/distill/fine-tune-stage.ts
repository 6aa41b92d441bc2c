// The backbone stage of `leaf distill`: heads on the ImageNet backbone's features first (the Quick head
// is where fine-tuning starts, the Detail head teaches it on photos), then the trunk activations of every
// training image at the Quick view, then joint distillation through the top blocks, and last the
// fine-tuned weights written into the output model's backbone. Every step resumes: features and trunk
// activations are cached, training checkpoints every 25 steps.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type FineTuneRows, forEachTopFeatureRow } from '../../core/distill/fine-tune-top.ts';
import { BACKBONE_SCOPE, DEFAULT_TAPS, featureLength } from '../../core/model/features.ts';
import { RESIZE_BY_MODE } from '../../core/model/preprocess.ts';
import type { ScoreMode } from '../../core/model/score-mode.ts';
import { TOP_WEIGHT_NAMES, topParamsFromGraph, trunkGrid } from '../../core/model/top-blocks.ts';
import { featureSetId, loadBackboneFromDir } from '../backbone-files.ts';
import type { DatasetId, DatasetImage } from '../datasets.ts';
import { deriveBackbone } from '../derive-backbone.ts';
import { FeatureStore, type FeatureTable } from '../feature-store.ts';
import { sha256HexSync } from '../sha256.ts';
import type { DistillOptions } from './distill.ts';
import { FROZEN_DIMS, runFineTune } from './fine-tune.ts';
import { syntheticStoreBase } from './synthetic-pairs.ts';
import { writeBackboneWithWeights } from './top-weights-file.ts';
import { type DatasetInput, syntheticPhotos } from './training-set.ts';
import { cacheTrunkActivations, trunkEntries, trunkStoreBase } from './trunk-activations.ts';
import type { LinearHead } from '../../core/model/head.ts';
import type { PointTarget } from '../../core/distill/train-head.ts';
import type { TrainingSet } from './training-set.ts';

/** Fine-tuning steps of the shipped model (see README: what each costs and gives). */
export const DEFAULT_FINE_TUNE_STEPS = 0;
export const DEFAULT_FINE_TUNE_LR = 2e-5;

type TrainHeads = (
  backbone: tf.GraphModel,
  featureSet: string,
  modes: readonly ScoreMode[],
  label: string,
) => Promise<{ heads: Partial<Record<ScoreMode, LinearHead>>; setFor: (m: ScoreMode) => Promise<TrainingSet>; fastPoints?: PointTarget[] }>;

/** Fine-tunes the top of the derived ImageNet backbone and writes the result to o.outDir; returns its record for the manifest. */
export async function fineTuneBackbone(
  o: DistillOptions,
  prepared: { data: Map<DatasetId, DatasetImage[]>; inputs: DatasetInput[] },
  trainHeads: TrainHeads,
): Promise<Record<string, unknown>> {
  const baseDir = path.join(o.featureCache, 'base-backbone');
  if (!fs.existsSync(path.join(baseDir, 'backbone.bin'))) deriveBackbone(baseDir);
  const base = await loadBackboneFromDir(baseDir);
  const baseSet = featureSetId(baseDir, DEFAULT_TAPS);
  try {
    const start = await trainHeads(base, baseSet, ['accurate', 'fast'], 'base ');
    const fastSet = await start.setFor('fast');
    const spec = RESIZE_BY_MODE.fast;
    const trunks = new Map<string, FeatureTable>();
    for (const ds of prepared.inputs) {
      const store = await cacheTrunkActivations(trunkEntries(ds.images, ds.synthetic ? syntheticPhotos(ds, o.syntheticLimit) : [], o.seed), {
        backbone: base,
        spec,
        storeBase: trunkStoreBase(o.featureCache, baseSet, ds.id, spec),
        onProgress: (d, t) => o.onProgress?.(`trunk activations ${ds.id}`, d, t),
      });
      trunks.set(ds.id, store.read());
    }
    const settings = { steps: o.fineTuneSteps, learningRate: o.fineTuneLearningRate, seed: o.seed, blocks: 'expanded_conv_14..16 + Conv_1', view: spec };
    // The run is named by what decides its result (but not the step count, so a longer run continues a shorter one).
    const run = sha256HexSync(JSON.stringify({ baseSet, lr: o.fineTuneLearningRate, seed: o.seed, points: start.fastPoints?.length, pairs: fastSet.pairs.length, rows: fastSet.rows })).slice(0, 12);
    const validation = [...prepared.data].flatMap(([id, imgs]) => imgs.filter((i) => i.split === 'val').map((i) => ({ dataset: id, name: i.name, mos: i.mos })));
    const trajectory: { step: number; srcc: Record<string, number> }[] = [];
    const final = await runFineTune({
      backbone: base,
      set: fastSet,
      points: start.fastPoints ?? fastSet.points,
      trunks,
      head: start.heads.fast!,
      steps: o.fineTuneSteps,
      seed: o.seed,
      learningRate: o.fineTuneLearningRate,
      checkpoint: path.join(o.featureCache, baseSet, `fine-tune-${run}.ckpt`),
      run,
      checkpointEvery: 25,
      validation,
      validateEvery: 100,
      onValidation: (step, srcc) => trajectory.push({ step, srcc }),
      log: o.log,
      onProgress: o.onProgress,
    });
    const weights = new Map(TOP_WEIGHT_NAMES.map((n) => [n, final.params.get(n)!.dataSync() as Float32Array]));
    writeBackboneWithWeights(baseDir, o.outDir, weights, `top blocks fine-tuned by leaf distill (run ${run})`);
    o.log(`fine-tune: wrote the fine-tuned backbone to ${o.outDir}`);
    await prefillQuickFeatures(o, prepared.inputs, baseSet, trunks);
    return { ...settings, run, base: baseSet, validationSrccDuringTraining: trajectory };
  } finally {
    base.dispose();
  }
}

/**
 * The fine-tuned backbone's Quick features of every cached image, computed from the trunk activations
 * (only the top runs) instead of re-running the whole network: the trunk is unchanged, so the frozen
 * taps are copied from the base features. Uses the re-quantised weights as written, so the rows equal
 * full extraction up to float rounding (~1e-5).
 */
async function prefillQuickFeatures(o: DistillOptions, inputs: readonly DatasetInput[], baseSet: string, trunks: ReadonlyMap<string, FeatureTable>): Promise<void> {
  const tuned = await loadBackboneFromDir(o.outDir);
  const tunedSet = featureSetId(o.outDir, DEFAULT_TAPS);
  const params = topParamsFromGraph(tuned.weights as Record<string, tf.Tensor[]>, BACKBONE_SCOPE);
  const dims = featureLength(DEFAULT_TAPS);
  try {
    for (const ds of inputs) {
      const stores = (set: string) => ({
        plain: new FeatureStore(path.join(o.featureCache, set, `${ds.id}-fast`), dims),
        synthetic: new FeatureStore(syntheticStoreBase(path.join(o.featureCache, set), ds.id, 'fast'), dims),
      });
      const base = stores(baseSet);
      const baseTables = { plain: base.plain.read(), synthetic: base.synthetic.read() };
      const target = stores(tunedSet);
      const trunk = trunks.get(ds.id)!;
      const todo: { name: string; trunkRow: number; kind: 'plain' | 'synthetic'; baseRow: number }[] = [];
      trunk.names.forEach((name, trunkRow) => {
        const kind = name.includes('#') ? 'synthetic' : 'plain';
        const baseRow = base[kind].done.get(name);
        if (baseRow !== undefined && !target[kind].done.has(name)) todo.push({ name, trunkRow, kind, baseRow });
      });
      const rows: FineTuneRows = {
        count: todo.length,
        grid: trunkGrid(RESIZE_BY_MODE.fast),
        frozenDims: FROZEN_DIMS,
        trunk: (i) => trunk.data.subarray(todo[i]!.trunkRow * trunk.dims, (todo[i]!.trunkRow + 1) * trunk.dims),
        frozen: (i) => baseTables[todo[i]!.kind].data.subarray(todo[i]!.baseRow * dims, todo[i]!.baseRow * dims + FROZEN_DIMS),
      };
      forEachTopFeatureRow(params, rows, (i, features) => target[todo[i]!.kind].append(todo[i]!.name, features));
      o.onProgress?.(`Quick features of the fine-tuned backbone ${ds.id}`, todo.length, todo.length);
    }
  } finally {
    tf.dispose([...params.values()]);
    tuned.dispose();
  }
}
