// Pooled features of every scored image, kept in the worker: calibration (issue #4) fits on them without
// re-running the backbone, and they never cross into the UI store.
import type { ScoreMode } from '../core/model/preprocess.ts';

export interface CachedFeatures {
  readonly mode: ScoreMode;
  readonly features: Float32Array;
}

export class FeatureCache {
  private readonly byImage = new Map<string, CachedFeatures>();
  private totalBytes = 0;

  set(imageId: string, entry: CachedFeatures): void {
    this.delete(imageId);
    this.byImage.set(imageId, entry);
    this.totalBytes += entry.features.byteLength;
  }

  get(imageId: string): CachedFeatures | undefined {
    return this.byImage.get(imageId);
  }

  delete(imageId: string): boolean {
    const old = this.byImage.get(imageId);
    if (!old) return false;
    this.totalBytes -= old.features.byteLength;
    return this.byImage.delete(imageId);
  }

  clear(): number {
    const n = this.byImage.size;
    this.byImage.clear();
    this.totalBytes = 0;
    return n;
  }

  /** Every cached image, in insertion order. */
  entries(): [string, CachedFeatures][] {
    return [...this.byImage];
  }

  get size(): number {
    return this.byImage.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }
}
