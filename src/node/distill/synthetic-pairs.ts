// Synthetic-degradation pairs for photos no MLLM has judged. Each training photo gets a mild and a strong
// copy of the same seeded recipe (src/core/degrade/recipes.ts: blur, defocus, motion, shadow noise, JPEG,
// WebP, exposure, contrast, colour cast, alone or mixed); their features are extracted through the one
// feature path and stored beside the dataset's. Three preferences follow: photo > mild, photo > strong,
// mild > strong.
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { type Recipe, recipesFor } from '../../core/degrade/recipes.ts';
import { DEFAULT_TAPS, featureLength, imageFeatures } from '../../core/model/features.ts';
import type { ResizeSpec } from '../../core/model/preprocess.ts';
import { decodeImageFile } from '../decode-image.ts';
import type { ImageFile } from '../extract-features.ts';
import { FeatureStore } from '../feature-store.ts';
import { applyRecipe } from './apply-recipe.ts';

/** Recipe generation; bump when recipes change so old cached copies are not mixed in. */
export const SYNTHETIC_VERSION = 2;

/** How sure "a beats b" is for each kind of synthetic pair: a mild copy can be near-invisible on a poor photo. */
export const SYNTHETIC_PREFERENCE = { originalOverMild: 0.8, originalOverStrong: 0.95, mildOverStrong: 0.9 } as const;

export const degradedName = (name: string, recipe: Recipe) => `${name}#${recipe.id}`;

export interface SyntheticPhoto {
  readonly original: string;
  readonly mild: string;
  readonly strong: string;
}

export interface SyntheticOptions {
  readonly backbone: tf.GraphModel;
  readonly images: readonly ImageFile[];
  readonly resize: ResizeSpec;
  readonly storeBase: string;
  readonly seed: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Extracts (or resumes) features of both copies of every image; a photo that cannot be read is skipped. */
export async function syntheticDegradations(o: SyntheticOptions): Promise<{ store: FeatureStore; photos: SyntheticPhoto[] }> {
  const store = new FeatureStore(o.storeBase, featureLength(DEFAULT_TAPS));
  const photos: SyntheticPhoto[] = [];
  let done = 0;
  for (const img of o.images) {
    const recipes = recipesFor(img.name, o.seed);
    const names = recipes.map((r) => degradedName(img.name, r));
    if (names.some((n) => !store.done.has(n))) {
      try {
        const pixels = await decodeImageFile(img.path, img.name);
        for (const [i, recipe] of recipes.entries()) {
          if (store.done.has(names[i]!)) continue;
          const copy = await applyRecipe(pixels, recipe, o.seed + i);
          store.append(names[i]!, (await imageFeatures(o.backbone, copy, o.resize, DEFAULT_TAPS)).features);
        }
      } catch {
        // An unreadable photo simply contributes no synthetic pairs.
      }
    }
    if (names.every((n) => store.done.has(n))) photos.push({ original: img.name, mild: names[0]!, strong: names[1]! });
    o.onProgress?.(++done, o.images.length);
  }
  return { store, photos };
}

export const syntheticStoreBase = (featureCache: string, dataset: string, mode: string) =>
  path.join(featureCache, `${dataset}-${mode}-synthetic-v${SYNTHETIC_VERSION}`);
