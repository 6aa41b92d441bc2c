// Assembles what the head trainer needs from one or more datasets: feature rows (extracted on demand,
// resumable), and point/pair targets from the teachers available for each dataset. Pairs are only ever
// formed within a dataset, because different teachers' scales are not comparable across datasets.
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { sampleDerivedPairs } from '../../core/distill/pairs.ts';
import type { PairTarget, PointTarget } from '../../core/distill/train-head.ts';
import { DEFAULT_TAPS, featureLength } from '../../core/model/features.ts';
import { RESIZE_BY_MODE } from '../../core/model/preprocess.ts';
import type { ScoreMode } from '../../core/model/score-mode.ts';
import { ensembleTeachers } from '../../core/teacher/ensemble.ts';
import type { PairJudgment, PointJudgment } from '../../core/teacher/types.ts';
import { extractFeatures, type ImageFile } from '../extract-features.ts';
import { DETAIL_PAIR_PREFERENCE, detailDegradations, detailStoreBase } from './detail-pairs.ts';
import { SYNTHETIC_PREFERENCE, syntheticDegradations, syntheticStoreBase } from './synthetic-pairs.ts';

export interface DatasetTeachers {
  /** Point-wise judgments per teacher id, keyed by image file name. */
  readonly points: ReadonlyMap<string, readonly PointJudgment[]>;
  /** Pair-wise judgments recorded directly (e.g. a live teacher asked both orders). */
  readonly pairs?: readonly PairJudgment[];
}

export interface DatasetInput {
  readonly id: string;
  readonly images: readonly ImageFile[];
  readonly teachers: DatasetTeachers;
  /** Names of images the trainer may use (the rest are kept for validation). */
  readonly trainNames: ReadonlySet<string>;
  /** Multiplies this dataset's point-wise weights; 0 = learn only its rankings (e.g. classical teachers,
   *  whose absolute scale means nothing next to the MLLM teachers'). */
  readonly pointScale?: number;
  /** Source tag of this dataset's teacher pairs (reports and ablations). */
  readonly teacherKind?: 'mllm' | 'classical';
  /** Add synthetic-degradation pairs (photo > mild copy > strong copy) for each training image. */
  readonly synthetic?: boolean;
}

export interface TrainingSet {
  readonly features: Float32Array;
  readonly rows: number;
  readonly dims: number;
  /** Row index of each (dataset, image name). */
  readonly rowOf: ReadonlyMap<string, number>;
  readonly points: PointTarget[];
  readonly pairs: PairTarget[];
  /**
   * Full-resolution pairs (Detail mode) as backbone features + the 'unseen-noise' measure of each side, for
   * fitting the measure's weight on the trained head (their rows are not in `features`, so they do not
   * shift the head's standardisation).
   */
  readonly measurePairs: MeasureFeaturePair[];
  readonly summary: { dataset: string; images: number; pointTargets: number; pairTargets: number; teachers: { id: string; weight: number }[] }[];
}

export interface MeasureFeaturePair {
  /** What b is: the clean photo's noisy or blurred copy. */
  readonly kind: 'noisy' | 'blurred';
  readonly a: Float32Array;
  readonly b: Float32Array;
  readonly measureA: number;
  readonly measureB: number;
  readonly pAB: number;
}

export const rowKey = (dataset: string, name: string) => `${dataset}/${name}`;

/**
 * Photos per dataset that get degraded copies by default: half of BIQ2021's training photos. Extracting
 * both copies of a photo costs ~1.2 s in the accurate mode on this 2-core machine, so this bounds the
 * accurate head's extra extraction to ~25 min.
 */
export const DEFAULT_SYNTHETIC_LIMIT = 1200;

/** Photos per dataset that also get full-resolution pairs for the Detail head (detail-pairs.ts). */
export const DEFAULT_DETAIL_PAIRS = 400;

/** The photos of a dataset that get degraded copies: the first `limit` training photos by name. */
export function syntheticPhotos(ds: DatasetInput, limit = DEFAULT_SYNTHETIC_LIMIT): ImageFile[] {
  return ds.images
    .filter((i) => ds.trainNames.has(i.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, limit);
}

export interface BuildOptions {
  readonly mode: ScoreMode;
  readonly backbone: tf.GraphModel;
  readonly featureCache: string;
  /** featureSetId() of the backbone: cached features live under it. */
  readonly featureSet: string;
  readonly pairsPerImage: number;
  readonly useReliability: boolean;
  readonly seed: number;
  /** Weight of each synthetic-degradation pair. */
  readonly syntheticWeight?: number;
  /** Photos per dataset that get degraded copies: the first n training photos by name (default DEFAULT_SYNTHETIC_LIMIT). */
  readonly syntheticLimit?: number;
  /** Modes that get synthetic pairs (default: all); each needs its own feature extraction of the copies. */
  readonly syntheticModes?: readonly ScoreMode[];
  /** Detail head only: photos per dataset (of those with synthetic pairs) that get full-resolution pairs (detail-pairs.ts); 0 = none. */
  readonly detailPairLimit?: number;
  /** Weight of each full-resolution pair in the head's own training (default 0: they fit the unseen-noise weight only). */
  readonly detailPairWeight?: number;
  readonly onProgress?: (label: string, done: number, total: number) => void;
}

export async function buildTrainingSet(datasets: readonly DatasetInput[], o: BuildOptions): Promise<TrainingSet> {
  const dims = featureLength(DEFAULT_TAPS);
  const chunks: Float32Array[] = [];
  const rowOf = new Map<string, number>();
  const points: PointTarget[] = [];
  const pairs: PairTarget[] = [];
  const measurePairs: MeasureFeaturePair[] = [];
  const summary: TrainingSet['summary'] = [];
  for (const ds of datasets) {
    const { store } = await extractFeatures({
      backbone: o.backbone,
      images: ds.images,
      resize: RESIZE_BY_MODE[o.mode],
      storeBase: path.join(o.featureCache, o.featureSet, `${ds.id}-${o.mode}`),
      onProgress: (d, t) => o.onProgress?.(`features ${ds.id} ${o.mode}`, d, t),
    });
    const table = store.read();
    const tableRow = new Map(table.names.map((n, i) => [n, i]));
    for (const img of ds.images) {
      const r = tableRow.get(img.name);
      if (r === undefined) continue;
      rowOf.set(rowKey(ds.id, img.name), rowOf.size);
      chunks.push(table.data.subarray(r * dims, (r + 1) * dims));
    }
    /** Row index of a name in an extra feature table (degraded copies), adding its row to the set on first use. */
    const rowsOf = (extra: { names: readonly string[]; data: Float32Array }) => {
      const at = new Map(extra.names.map((n, i) => [n, i]));
      return (name: string): number | undefined => {
        const key = rowKey(ds.id, name);
        if (rowOf.has(key)) return rowOf.get(key);
        const r = at.get(name);
        if (r === undefined) return undefined;
        rowOf.set(key, rowOf.size);
        chunks.push(extra.data.subarray(r * dims, (r + 1) * dims));
        return rowOf.get(key);
      };
    };
    const teacherIds = [...ds.teachers.points.keys()];
    let pointCount = 0;
    let pairCount = 0;
    let weights: { id: string; weight: number }[] = [];
    if (teacherIds.length) {
      const ens = ensembleTeachers(ds.teachers.points);
      weights = ens.teachers.map((t) => ({ id: t.id, weight: t.weight }));
      const usable = ens.judgments.filter((j) => ds.trainNames.has(j.image) && rowOf.has(rowKey(ds.id, j.image)));
      for (const j of usable) {
        const weight = (o.useReliability ? j.reliability : 1) * (ds.pointScale ?? 1);
        if (weight > 0) points.push({ row: rowOf.get(rowKey(ds.id, j.image))!, probs: j.probs, score: j.score, weight });
      }
      pointCount = (ds.pointScale ?? 1) > 0 ? usable.length : 0;
      const derived = sampleDerivedPairs(usable, Math.round(o.pairsPerImage * usable.length), o.seed);
      const recorded = (ds.teachers.pairs ?? []).filter((p) => ds.trainNames.has(p.a) && ds.trainNames.has(p.b));
      for (const p of [...derived, ...recorded]) {
        const a = rowOf.get(rowKey(ds.id, p.a));
        const b = rowOf.get(rowKey(ds.id, p.b));
        if (a === undefined || b === undefined) continue;
        pairs.push({ a, b, pAB: p.pAB, weight: o.useReliability ? p.reliability : 1, source: ds.teacherKind ?? 'mllm' });
        pairCount++;
      }
    }
    if (ds.synthetic && (o.syntheticModes ?? [o.mode]).includes(o.mode)) {
      const synth = await syntheticDegradations({
        backbone: o.backbone,
        images: syntheticPhotos(ds, o.syntheticLimit),
        resize: RESIZE_BY_MODE[o.mode],
        storeBase: syntheticStoreBase(path.join(o.featureCache, o.featureSet), ds.id, o.mode),
        seed: o.seed,
        onProgress: (d, t) => o.onProgress?.(`synthetic degradations ${ds.id} ${o.mode}`, d, t),
      });
      const rowFor = rowsOf(synth.store.read());
      const w = o.syntheticWeight ?? 1;
      for (const p of synth.photos) {
        const original = rowOf.get(rowKey(ds.id, p.original));
        const mild = rowFor(p.mild);
        const strong = rowFor(p.strong);
        if (original === undefined || mild === undefined || strong === undefined) continue;
        // Near-certain preferences, but not 1, so one odd copy cannot dominate the loss.
        pairs.push({ a: original, b: mild, pAB: SYNTHETIC_PREFERENCE.originalOverMild, weight: w, source: 'synthetic' });
        pairs.push({ a: original, b: strong, pAB: SYNTHETIC_PREFERENCE.originalOverStrong, weight: w, source: 'synthetic' });
        pairs.push({ a: mild, b: strong, pAB: SYNTHETIC_PREFERENCE.mildOverStrong, weight: w, source: 'synthetic' });
        pairCount += 3;
      }
    }
    if (ds.synthetic && o.mode === 'accurate' && (o.detailPairLimit ?? 0) > 0) {
      const detail = await detailDegradations({
        backbone: o.backbone,
        images: syntheticPhotos(ds, o.detailPairLimit),
        resize: RESIZE_BY_MODE.accurate,
        storeBase: detailStoreBase(path.join(o.featureCache, o.featureSet), ds.id),
        seed: o.seed,
        onProgress: (d, t) => o.onProgress?.(`full-resolution pairs ${ds.id}`, d, t),
      });
      const table = detail.store.read();
      const at = new Map(table.names.map((n, i) => [n, i]));
      const measured = detail.noise.read();
      const noiseAt = new Map(measured.names.map((n, i) => [n, measured.data[i]!]));
      const row = (name: string) => table.data.subarray(at.get(name)! * dims, (at.get(name)! + 1) * dims);
      const w = o.detailPairWeight ?? 0;
      const rowFor = w > 0 ? rowsOf(table) : null;
      for (const p of detail.photos) {
        for (const [kind, damaged] of [['noisy', p.noisy], ['blurred', p.blurred]] as const) {
          measurePairs.push({ kind, a: row(p.clean), b: row(damaged), measureA: noiseAt.get(p.clean)!, measureB: noiseAt.get(damaged)!, pAB: DETAIL_PAIR_PREFERENCE });
          const [a, b] = [rowFor?.(p.clean), rowFor?.(damaged)];
          if (a === undefined || b === undefined) continue;
          pairs.push({ a, b, pAB: DETAIL_PAIR_PREFERENCE, weight: w, source: 'detail' });
          pairCount++;
        }
      }
    }
    summary.push({ dataset: ds.id, images: ds.images.length, pointTargets: pointCount, pairTargets: pairCount, teachers: weights });
  }
  const features = new Float32Array(rowOf.size * dims);
  chunks.forEach((c, i) => features.set(c, i * dims));
  return { features, rows: rowOf.size, dims, rowOf, points, pairs, measurePairs, summary };
}
