// Caches what enters the trainable top of the backbone: the output of the frozen trunk (MobileNetV2 up
// to expanded_conv_13) at the Quick view, one fixed-size row per image. Fine-tuning then costs only the
// top blocks per step instead of the whole network (PLATFORM.md: ~6x cheaper at 224 px). Rows live in a
// FeatureStore, so a killed run resumes where it stopped.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { recipesFor } from '../../core/degrade/recipes.ts';
import { TRUNK_CHANNELS, TRUNK_NODE, trunkGrid } from '../../core/model/top-blocks.ts';
import { tapNodeName } from '../../core/model/features.ts';
import { type Pixels, type ResizeSpec, toModelInput } from '../../core/model/preprocess.ts';
import { shrinkForModel } from '../../core/model/shrink.ts';
import { decodeImageFile } from '../decode-image.ts';
import type { ImageFile } from '../extract-features.ts';
import { FeatureStore } from '../feature-store.ts';
import { applyRecipe } from './apply-recipe.ts';
import { degradedName } from './synthetic-pairs.ts';

/** One image to cache: its row name and how to get its pixels. */
export interface TrunkEntry {
  readonly name: string;
  readonly pixels: () => Promise<Pixels>;
}

export function trunkRowLength(spec: ResizeSpec): number {
  const g = trunkGrid(spec);
  return g * g * TRUNK_CHANNELS;
}

/** Trunk output ([1, g, g, C] flattened) of one image at a square view. */
export async function trunkActivation(backbone: tf.GraphModel, pixels: Pixels, spec: ResizeSpec): Promise<Float32Array> {
  const view = toModelInput(shrinkForModel(pixels, spec), spec);
  try {
    const out = backbone.execute(view, tapNodeName({ node: TRUNK_NODE, channels: TRUNK_CHANNELS, pools: [] })) as tf.Tensor;
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  } finally {
    view.dispose();
  }
}

export interface TrunkCacheOptions {
  readonly backbone: tf.GraphModel;
  readonly spec: ResizeSpec;
  readonly storeBase: string;
  readonly onProgress?: (done: number, total: number, failed: number) => void;
}

/** Fills (or resumes) the store; entries that cannot be read are skipped and counted. */
export async function cacheTrunkActivations(entries: readonly TrunkEntry[], o: TrunkCacheOptions): Promise<FeatureStore> {
  const store = new FeatureStore(o.storeBase, trunkRowLength(o.spec));
  let done = 0;
  let failed = 0;
  for (const e of entries) {
    if (!store.done.has(e.name)) {
      try {
        store.append(e.name, await trunkActivation(o.backbone, await e.pixels(), o.spec));
      } catch {
        failed++;
      }
    }
    o.onProgress?.(++done, entries.length, failed);
  }
  return store;
}

/** Entries for a dataset's images plus the degraded copies the synthetic pairs use (same names, same recipes). */
export function trunkEntries(images: readonly ImageFile[], synthetic: readonly ImageFile[], seed: number): TrunkEntry[] {
  const out: TrunkEntry[] = images.map((img) => ({ name: img.name, pixels: () => decodeImageFile(img.path, img.name) }));
  for (const img of synthetic) {
    recipesFor(img.name, seed).forEach((recipe, i) => {
      out.push({ name: degradedName(img.name, recipe), pixels: async () => applyRecipe(await decodeImageFile(img.path, img.name), recipe, seed + i) });
    });
  }
  return out;
}

export const trunkStoreBase = (featureCache: string, featureSet: string, dataset: string, spec: ResizeSpec) =>
  path.join(featureCache, featureSet, `${dataset}-trunk-${spec.fit}${spec.size}`);
