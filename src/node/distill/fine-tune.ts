// Runs backbone fine-tuning from cached trunk activations: maps the Quick training set's rows to their
// trunk rows, starts from the base backbone's top and the head trained on its frozen features, trains
// with checkpoints every few steps (resumable), and reports validation SRCC as it goes.
import * as tf from '@tensorflow/tfjs';
import { type FineTuneRows, type FineTuneState, batchTensors, fineTuneTop, rawScores } from '../../core/distill/fine-tune-top.ts';
import type { PairTarget, PointTarget } from '../../core/distill/train-head.ts';
import { BACKBONE_SCOPE, DEFAULT_TAPS } from '../../core/model/features.ts';
import { type LinearHead, squashToLevels } from '../../core/model/head.ts';
import { trunkGrid, topParamsFromGraph } from '../../core/model/top-blocks.ts';
import { RESIZE_BY_MODE } from '../../core/model/preprocess.ts';
import { correlations } from '../../core/metrics/evaluate.ts';
import type { FeatureTable } from '../feature-store.ts';
import { CheckpointRefused, loadCheckpoint, saveCheckpoint } from './fine-tune-checkpoint.ts';
import { rowKey, type TrainingSet } from './training-set.ts';

/** Length of the features the top does not change (the taps below expanded_conv_13). */
export const FROZEN_DIMS = DEFAULT_TAPS.slice(0, 4).reduce((n, t) => n + t.channels * t.pools.length, 0);

export interface ValidationImage {
  readonly dataset: string;
  readonly name: string;
  readonly mos: number;
}

export interface FineTuneRunOptions {
  readonly backbone: tf.GraphModel;
  /** Quick-mode training set built from the base backbone's cached features. */
  readonly set: TrainingSet;
  readonly points: readonly PointTarget[];
  /** Trunk activations per dataset id. */
  readonly trunks: ReadonlyMap<string, FeatureTable>;
  readonly head: LinearHead;
  readonly steps: number;
  readonly seed: number;
  readonly learningRate?: number;
  readonly headLearningRate?: number;
  readonly checkpoint: string;
  readonly run: string;
  readonly checkpointEvery?: number;
  readonly validation?: readonly ValidationImage[];
  readonly validateEvery?: number;
  readonly onValidation?: (step: number, srcc: Record<string, number>) => void;
  /** The step this run starts from (0, or a checkpoint's). */
  readonly onStart?: (step: number) => void;
  readonly log: (line: string) => void;
  readonly onProgress?: (label: string, done: number, total: number) => void;
}

/** The training set's rows that have a trunk activation, renumbered 0..count-1, with their set rows and keys. */
export function trunkRowsOf(set: TrainingSet, trunks: ReadonlyMap<string, FeatureTable>): { rows: FineTuneRows; setRows: number[]; rowOfKey: Map<string, number> } {
  const tableIndex = new Map<string, Map<string, number>>();
  for (const [id, t] of trunks) tableIndex.set(id, new Map(t.names.map((n, i) => [n, i])));
  const refs: { table: FeatureTable; index: number }[] = [];
  const setRows: number[] = [];
  const rowOfKey = new Map<string, number>();
  for (const [key, setRow] of set.rowOf) {
    const slash = key.indexOf('/');
    const id = key.slice(0, slash);
    const index = tableIndex.get(id)?.get(key.slice(slash + 1));
    if (index === undefined) continue;
    rowOfKey.set(key, refs.length);
    setRows.push(setRow);
    refs.push({ table: trunks.get(id)!, index });
  }
  const d = set.dims;
  const rows: FineTuneRows = {
    count: refs.length,
    grid: trunkGrid(RESIZE_BY_MODE.fast),
    frozenDims: FROZEN_DIMS,
    trunk: (r) => {
      const ref = refs[r]!;
      return ref.table.data.subarray(ref.index * ref.table.dims, (ref.index + 1) * ref.table.dims);
    },
    frozen: (r) => set.features.subarray(setRows[r]! * d, setRows[r]! * d + FROZEN_DIMS),
  };
  return { rows, setRows, rowOfKey };
}

/** Training rows that have a trunk activation, and the targets restated on them. */
function trunkRows(o: FineTuneRunOptions): { rows: FineTuneRows; points: PointTarget[]; pairs: PairTarget[]; rowOfKey: Map<string, number> } {
  const { rows, setRows, rowOfKey } = trunkRowsOf(o.set, o.trunks);
  const newRow = new Map(setRows.map((setRow, r) => [setRow, r]));
  const points = o.points.filter((p) => newRow.has(p.row)).map((p) => ({ ...p, row: newRow.get(p.row)! }));
  const pairs = o.set.pairs.filter((p) => newRow.has(p.a) && newRow.has(p.b)).map((p) => ({ ...p, a: newRow.get(p.a)!, b: newRow.get(p.b)! }));
  return { rows, points, pairs, rowOfKey };
}

/** Label-free validation SRCC per dataset of a state (squashed scores, as the app shows them). */
export function validateState(state: FineTuneState, head: LinearHead, rows: FineTuneRows, rowOfKey: ReadonlyMap<string, number>, images: readonly ValidationImage[]): Record<string, number> {
  const byDataset = new Map<string, { rows: number[]; mos: number[] }>();
  for (const img of images) {
    const r = rowOfKey.get(rowKey(img.dataset, img.name));
    if (r === undefined) continue;
    const e = byDataset.get(img.dataset) ?? { rows: [], mos: [] };
    e.rows.push(r);
    e.mos.push(img.mos);
    byDataset.set(img.dataset, e);
  }
  const out: Record<string, number> = {};
  const h = { mean: tf.tensor1d(head.mean), std: tf.tensor1d(head.std), w: tf.tensor2d(state.headWeights, [head.mean.length, 1]), b: tf.scalar(state.headBias) };
  try {
    for (const [id, e] of byDataset) {
      const scores: number[] = [];
      for (let i = 0; i < e.rows.length; i += 64) {
        const { trunk, frozen } = batchTensors(rows, e.rows.slice(i, i + 64));
        const s = tf.tidy(() => rawScores(state.params, h, trunk, frozen));
        scores.push(...Array.from(s.dataSync(), squashToLevels));
        tf.dispose([trunk, frozen, s]);
      }
      out[id] = correlations(scores, e.mos).srcc;
    }
  } finally {
    tf.dispose(Object.values(h));
  }
  return out;
}

export async function runFineTune(o: FineTuneRunOptions): Promise<FineTuneState> {
  const { rows, points, pairs, rowOfKey } = trunkRows(o);
  o.log(`fine-tune: ${rows.count} rows with trunk activations, ${points.length} point and ${pairs.length} pair targets, ${o.steps} steps`);
  let start: FineTuneState | null = null;
  try {
    start = loadCheckpoint(o.checkpoint, o.run);
    if (start) o.log(`fine-tune: resuming from step ${start.step} (${o.checkpoint})`);
  } catch (err) {
    if (!(err instanceof CheckpointRefused)) throw err;
    o.log(`fine-tune: checkpoint refused, starting over: ${err.message}`);
  }
  start ??= { step: 0, params: topParamsFromGraph(o.backbone.weights as Record<string, tf.Tensor[]>, BACKBONE_SCOPE), headWeights: new Float32Array(o.head.weights), headBias: o.head.bias[0]! };
  const report = (state: FineTuneState) => {
    if (!o.validation?.length) return;
    const srcc = validateState(state, o.head, rows, rowOfKey, o.validation);
    o.onValidation?.(state.step, srcc);
    o.log(`fine-tune step ${state.step}: validation SRCC ${Object.entries(srcc).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}`);
  };
  o.onStart?.(start.step);
  report(start); // where this run starts, so every log has its own baseline
  let recent: number[] = [];
  const final = await fineTuneTop({
    rows,
    points,
    pairs,
    head: o.head,
    start,
    steps: o.steps,
    seed: o.seed,
    learningRate: o.learningRate,
    headLearningRate: o.headLearningRate,
    onStep: async (step, loss, state) => {
      recent.push(loss);
      o.onProgress?.('fine-tune backbone', step, o.steps);
      const every = o.checkpointEvery ?? 50;
      if (step % every === 0 || step === o.steps) {
        const s = await state();
        saveCheckpoint(o.checkpoint, o.run, s);
        o.log(`fine-tune step ${step}: mean loss ${(recent.reduce((a, b) => a + b, 0) / recent.length).toFixed(4)} over the last ${recent.length} steps`);
        recent = [];
        if (step % (o.validateEvery ?? 200) === 0 || step === o.steps) report(s);
        tf.dispose([...s.params.values(), ...(s.optimizer?.values() ?? [])]);
      }
    },
  });
  tf.dispose([...start.params.values(), ...(start.optimizer?.values() ?? [])]);
  return final;
}
