// Synthetic-degradation pairs for photos no MLLM has judged: a photo is better than its own blurred,
// noised or heavily compressed copy. Each training photo gets one degraded copy (kind and strength drawn
// from a seeded PRNG), whose features are extracted like any image's and stored beside the dataset's.
import path from 'node:path';
import sharp from 'sharp';
import type * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../core/distill/random.ts';
import { DEFAULT_TAPS, featureLength, pooledFeatures } from '../../core/model/features.ts';
import { type Pixels, type ResizeSpec, toModelInput } from '../../core/model/preprocess.ts';
import { decodeImageFile } from '../decode-image.ts';
import type { ImageFile } from '../extract-features.ts';
import { FeatureStore } from '../feature-store.ts';

export type Degradation = { kind: 'blur'; sigma: number } | { kind: 'noise'; sigma: number } | { kind: 'jpeg'; quality: number };

export function degradationFor(name: string, seed: number): Degradation {
  let h = seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 2654435761);
  const rand = mulberry32(h >>> 0);
  const pick = rand();
  if (pick < 1 / 3) return { kind: 'blur', sigma: 1.5 + 2.5 * rand() };
  if (pick < 2 / 3) return { kind: 'noise', sigma: 8 + 17 * rand() };
  return { kind: 'jpeg', quality: Math.round(5 + 15 * rand()) };
}

export const degradedName = (name: string, d: Degradation) =>
  `${name}#${d.kind}-${d.kind === 'jpeg' ? d.quality : d.sigma.toFixed(2)}`;

export async function degrade(file: string, d: Degradation, seed: number): Promise<Pixels> {
  if (d.kind === 'blur') return decodeImageFile(await sharp(file).rotate().blur(d.sigma).png().toBuffer());
  if (d.kind === 'jpeg') return decodeImageFile(await sharp(file).rotate().jpeg({ quality: d.quality }).toBuffer());
  const px = await decodeImageFile(file);
  const rand = mulberry32(seed);
  const out = new Uint8Array(px.data.length);
  for (let i = 0; i < out.length; i += 2) {
    // Box-Muller: two Gaussian samples per pair of channel values.
    const r = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * d.sigma;
    const t = 2 * Math.PI * rand();
    out[i] = Math.max(0, Math.min(255, Math.round(px.data[i]! + r * Math.cos(t))));
    if (i + 1 < out.length) out[i + 1] = Math.max(0, Math.min(255, Math.round(px.data[i + 1]! + r * Math.sin(t))));
  }
  return { ...px, data: out };
}

export interface SyntheticOptions {
  readonly backbone: tf.GraphModel;
  readonly images: readonly ImageFile[];
  readonly resize: ResizeSpec;
  readonly storeBase: string;
  readonly seed: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Extracts (or resumes) features of one degraded copy per image; returns (original, degraded) name pairs. */
export async function syntheticDegradations(o: SyntheticOptions): Promise<{ store: FeatureStore; pairs: { original: string; degraded: string }[] }> {
  const store = new FeatureStore(o.storeBase, featureLength(DEFAULT_TAPS));
  const pairs: { original: string; degraded: string }[] = [];
  let done = 0;
  for (const img of o.images) {
    const d = degradationFor(img.name, o.seed);
    const name = degradedName(img.name, d);
    if (!store.done.has(name)) {
      try {
        const px = await degrade(img.path, d, o.seed + done);
        const input = toModelInput(px, o.resize);
        const pooled = pooledFeatures(o.backbone, input, DEFAULT_TAPS);
        input.dispose();
        store.append(name, (await pooled.data()) as Float32Array);
        pooled.dispose();
      } catch {
        // An unreadable photo simply contributes no synthetic pair.
      }
    }
    if (store.done.has(name)) pairs.push({ original: img.name, degraded: name });
    o.onProgress?.(++done, o.images.length);
  }
  return { store, pairs };
}

export const syntheticStoreBase = (featureCache: string, dataset: string, mode: string) => path.join(featureCache, `${dataset}-${mode}-synthetic`);
