// Computes (or resumes) pooled backbone features for a list of image files into a FeatureStore.
// Unreadable files are reported and skipped; they never stop the run.
import type * as tf from '@tensorflow/tfjs';
import { DEFAULT_TAPS, type FeatureTap, featureLength, imageFeatures } from '../core/model/features.ts';
import type { ResizeSpec } from '../core/model/preprocess.ts';
import { decodeImageFile } from './decode-image.ts';
import { FeatureStore } from './feature-store.ts';

export interface ImageFile {
  readonly name: string;
  readonly path: string;
}

export interface ExtractOptions {
  readonly backbone: tf.GraphModel;
  readonly images: readonly ImageFile[];
  readonly resize: ResizeSpec;
  readonly storeBase: string;
  readonly taps?: readonly FeatureTap[];
  readonly onProgress?: (done: number, total: number, failed: number) => void;
  readonly onError?: (image: ImageFile, err: Error) => void;
}

export async function extractFeatures(opts: ExtractOptions): Promise<{ store: FeatureStore; failed: ImageFile[] }> {
  const taps = opts.taps ?? DEFAULT_TAPS;
  const store = new FeatureStore(opts.storeBase, featureLength(taps));
  const failed: ImageFile[] = [];
  let done = 0;
  for (const image of opts.images) {
    if (!store.done.has(image.name)) {
      try {
        const pixels = await decodeImageFile(image.path, image.name);
        store.append(image.name, (await imageFeatures(opts.backbone, pixels, opts.resize, taps)).features);
      } catch (err) {
        failed.push(image);
        opts.onError?.(image, err as Error);
      }
    }
    done++;
    opts.onProgress?.(done, opts.images.length, failed.length);
  }
  return { store, failed };
}
