// A stored score as the worker keeps it in IndexedDB (score-store.ts), and the keys it is found by. Free of
// IndexedDB itself, so it is checked in Node.
import type { PatchBox } from '../core/model/detail-patches.ts';
import type { ScoreMode } from '../core/model/score-mode.ts';
import type { LevelProbs } from '../core/teacher/types.ts';
import type { BackendName, ImageResult } from './protocol.ts';

/**
 * What is stored per scored file: the result as the app shows it, with the burst embedding. The feature
 * vector calibration fits on (18.5 KB) is stored apart and read only when a calibration needs it, so a
 * reopened folder reads little.
 */
export interface StoredScore {
  readonly score: number;
  readonly probs: LevelProbs;
  readonly width: number;
  readonly height: number;
  readonly downscaledFrom: ImageResult['downscaledFrom'];
  readonly format: string;
  readonly thumb: Blob | null;
  readonly patches: readonly PatchBox[];
  /** Packed burst embedding (core/culling/bursts.ts). */
  readonly embedding: string;
  readonly backend: BackendName;
  readonly capturedAt: number | null;
}

export function resultKey(modelVersion: string, mode: ScoreMode, contentKey: string): string {
  return `${modelVersion}|${mode}|${contentKey}`;
}

/** Null for a Blob that is not a File (nothing to know it by without reading it). */
export function identityKey(file: Blob): string | null {
  if (typeof File === 'undefined' || !(file instanceof File)) return null;
  return `${file.name}|${file.size}|${file.lastModified}`;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** A record read back, checked: anything another version wrote, or a damaged one, is a miss (null). */
export function readStoredScore(value: unknown): StoredScore | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<StoredScore>;
  const ok =
    finite(v.score) &&
    Array.isArray(v.probs) &&
    v.probs.length === 5 &&
    v.probs.every(finite) &&
    finite(v.width) &&
    finite(v.height) &&
    typeof v.format === 'string' &&
    (v.thumb === null || (typeof Blob !== 'undefined' && v.thumb instanceof Blob)) &&
    Array.isArray(v.patches) &&
    typeof v.embedding === 'string' &&
    v.embedding.length > 0 &&
    typeof v.backend === 'string';
  // capturedAt arrived after the first records were written: absent reads as "not recorded".
  return ok ? { ...(v as StoredScore), capturedAt: finite(v.capturedAt) ? v.capturedAt : null } : null;
}

/** A stored feature vector read back: null unless it has the model's length. */
export function readStoredFeatures(value: unknown, dims: number): Float32Array | null {
  return value instanceof Float32Array && value.length === dims ? value : null;
}
