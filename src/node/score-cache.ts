// Features of files already scored, keyed by the file's content sha256, per model version and mode, so a
// second `leaf score` / `leaf eval` over the same photos decodes and runs nothing. Each row holds the
// pooled features plus the number of detail patches used. Append-only and crash-safe (FeatureStore).
import path from 'node:path';
import type { ScoreMode } from '../core/model/score-mode.ts';
import type { ModelManifest } from '../core/model/manifest.ts';
import { FeatureStore } from './feature-store.ts';
import { sha256HexSync } from './sha256.ts';

export const DEFAULT_SCORE_CACHE = path.join('.cache', 'scores');

export interface CachedFeatures {
  readonly features: Float32Array;
  readonly patches: number;
}

export class ScoreCache {
  private readonly store: FeatureStore;
  private readonly rows = new Map<string, CachedFeatures>();

  constructor(dir: string, manifest: ModelManifest, mode: ScoreMode) {
    const dims = manifest.features.length;
    this.store = new FeatureStore(path.join(dir, `${manifest.name}-${manifest.version}`, mode), dims + 1);
    if (this.store.done.size === 0) return;
    const table = this.store.read();
    table.names.forEach((hash, r) => {
      const row = table.data.subarray(r * (dims + 1), (r + 1) * (dims + 1));
      this.rows.set(hash, { features: row.slice(0, dims), patches: row[dims]! });
    });
  }

  static key(bytes: Uint8Array): string {
    return sha256HexSync(bytes);
  }

  get(key: string): CachedFeatures | undefined {
    return this.rows.get(key);
  }

  put(key: string, value: CachedFeatures): void {
    if (this.rows.has(key)) return;
    const row = new Float32Array(value.features.length + 1);
    row.set(value.features);
    row[value.features.length] = value.patches;
    this.store.append(key, row);
    this.rows.set(key, value);
  }
}
