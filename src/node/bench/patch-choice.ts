// Which 1:1 patches let the Detail head see mild noise? An ablation for bench:detail (--patch-choices): the
// same ten photos and damaged copies as the detail check, with the patches chosen at other ranks of local
// contrast than the shipped "highest contrast" (src/core/model/detail-patches.ts), blended into the 512 px
// view's features at the shipped weight and at a heavier one. Each copy picks its own patches, as scoring does.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { blendFeatures, cropRgb, pickPatches } from '../../core/model/detail-patches.ts';
import { featureLength, pooledFeatures, withMeasures } from '../../core/model/features.ts';
import { DEFAULT_DETAIL, toModelInput } from '../../core/model/preprocess.ts';
import { loadStudent } from '../../core/model/student.ts';
import { loadBackboneFromDir } from '../backbone-files.ts';
import { decodeImageFile } from '../decode-image.ts';
import { HIRES_DIR, HIRES_PHOTOS, hiresVariants, type Variant } from '../hires-photos.ts';
import { modelDirReader } from '../model-dir.ts';
import { withoutDetail } from './detail-bench.ts';

/** Picks cells from the grid's cells ranked by local contrast, highest first. */
type Choice = (ranked: number) => number[];

const atRanks = (fractions: readonly number[]): Choice => (n) => fractions.map((q) => Math.min(n - 1, Math.floor(q * n)));

const CHOICES: readonly { name: string; pick: Choice }[] = [
  { name: 'highest contrast, 4 (shipped)', pick: (n) => Array.from({ length: Math.min(4, n) }, (_, i) => i) },
  { name: 'highest contrast, 8', pick: (n) => Array.from({ length: Math.min(8, n) }, (_, i) => i) },
  { name: 'contrast ranks 10-40%', pick: atRanks([0.1, 0.2, 0.3, 0.4]) },
  { name: 'contrast ranks 30-60%', pick: atRanks([0.3, 0.4, 0.5, 0.6]) },
  { name: 'contrast ranks 50-80%', pick: atRanks([0.5, 0.6, 0.7, 0.8]) },
  { name: 'spread over all ranks, 8', pick: atRanks([0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875]) },
];
const WEIGHTS = [DEFAULT_DETAIL.weight, 0.75];

export async function runPatchChoiceAblation(modelDir: string, log: (s: string) => void = () => {}): Promise<string[]> {
  const student = await loadStudent(withoutDetail(modelDirReader(modelDir)));
  const backbone = await loadBackboneFromDir(modelDir);
  const taps = student.manifest.features.taps;
  const measures = student.manifest.features.measures ?? [];
  const backboneLength = featureLength(taps);
  // scores[choice@weight][photo][variant]
  const scores = new Map<string, Record<Variant, number>[]>();
  try {
    for (const photo of HIRES_PHOTOS) {
      const variants = await hiresVariants(path.join(HIRES_DIR, photo));
      const perPhoto = new Map<string, Record<Variant, number>>();
      for (const v of ['original', 'blur', 'noise'] as const) {
        const px = await decodeImageFile(variants[v], `${photo} ${v}`);
        const global = (await student.features(px, 'accurate')).features.subarray(0, backboneLength);
        const cells = pickPatches(px, { count: Number.MAX_SAFE_INTEGER, size: DEFAULT_DETAIL.size });
        const cellFeatures = new Map<number, Float32Array>();
        const featuresOf = async (i: number): Promise<Float32Array> => {
          const known = cellFeatures.get(i);
          if (known) return known;
          const input = toModelInput(cropRgb(px, cells[i]!), { fit: 'square', size: DEFAULT_DETAIL.size });
          const pooled = pooledFeatures(backbone, input, taps);
          const f = (await pooled.data()) as Float32Array;
          tf.dispose([input, pooled]);
          cellFeatures.set(i, f);
          return f;
        };
        for (const c of CHOICES) {
          const patches = await Promise.all(c.pick(cells.length).map(featuresOf));
          for (const w of WEIGHTS) {
            const key = `${c.name}|${w}`;
            const row = perPhoto.get(key) ?? ({} as Record<Variant, number>);
            // Patch choice alone: the pixel measures are held at 0.
            row[v] = student.scoreFeatures(withMeasures({ features: blendFeatures(global, patches, w), unseenNoise: 0 }, measures), 'accurate').score;
            perPhoto.set(key, row);
          }
        }
      }
      for (const [key, row] of perPhoto) scores.set(key, [...(scores.get(key) ?? []), row]);
      log(`patch choices: ${photo} done`);
    }
  } finally {
    student.dispose();
    backbone.dispose();
  }
  const rows = [...scores].map(([key, r]) => {
    const [name, w] = key.split('|');
    const wins = (v: 'blur' | 'noise') => r.filter((x) => x.original > x[v]).length;
    const drop = (v: 'blur' | 'noise') => (r.reduce((a, x) => a + x.original - x[v], 0) / r.length).toFixed(3);
    return `| ${name} | ${w} | ${wins('blur')} / ${r.length} | ${wins('noise')} / ${r.length} | ${drop('blur')} | ${drop('noise')} |`;
  });
  return [
    '### Which 1:1 patches: an ablation',
    '',
    `The same photos and copies; the Detail head scores the 512 px view blended with ${DEFAULT_DETAIL.size} px patches at 1:1 chosen at other ranks of local contrast (each copy picks its own, as scoring does); the unseen-noise measure is held at 0, so only the choice of patches differs.`,
    '',
    '| patches | patch weight | original > blurred copy | original > noisy copy | mean score drop, blur | mean score drop, noise |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ];
}
