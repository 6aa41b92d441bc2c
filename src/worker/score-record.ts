// A stored score as the worker keeps it in IndexedDB (score-store.ts), and the keys it is found by. Free of
// IndexedDB itself, so it is checked in Node.
import type { PatchBox } from '../core/model/detail-patches.ts';
import type { ScoreMode } from '../core/model/score-mode.ts';
import type { LevelProbs } from '../core/teacher/types.ts';
import type { BackendName, FileIdentity, ImageResult } from './protocol.ts';

/**
 * What is stored per scored file: the result as the app shows it, with the burst embedding. The thumbnail
 * and the feature vector calibration fits on (18.5 KB) are stored apart and read only when needed, so a
 * reopened folder reads little.
 */
export interface StoredScore {
  readonly score: number;
  readonly probs: LevelProbs;
  readonly width: number;
  readonly height: number;
  readonly downscaledFrom: ImageResult['downscaledFrom'];
  readonly format: string;
  /** A thumbnail is stored for this content (shared/score-db.ts, 'thumbs'). */
  readonly hasThumb: boolean;
  readonly patches: readonly PatchBox[];
  /** Packed burst embedding (core/culling/bursts.ts). */
  readonly embedding: string;
  readonly backend: BackendName;
  readonly capturedAt: number | null;
}

/** Every key of the score store starts with its model and mode: a record of another never answers. */
function keyPrefix(modelVersion: string, mode: ScoreMode): string {
  return `${modelVersion}|${mode}|`;
}

export function resultKey(modelVersion: string, mode: ScoreMode, contentKey: string): string {
  return keyPrefix(modelVersion, mode) + contentKey;
}

/** A result record as written: the score with its content key and result key (what the content index finds). */
export interface StoredRecord extends StoredScore {
  readonly contentKey: string;
  readonly resultKey: string;
}

/** A file as the score store knows it: its bytes (or only its identity, for a lookup) and where the page found it. */
export interface StoredFile {
  readonly file: Blob | FileIdentity;
  /** Folder-relative path (e.g. "shoot/IMG_0001.jpg"); the file's name when absent. */
  readonly path?: string;
}

/** A File's or an identity's name, size and date; null for a Blob that is not a File (nothing to know it by without reading it). */
export function identityOf(file: Blob | FileIdentity): FileIdentity | null {
  if (typeof Blob !== 'undefined' && file instanceof Blob) return typeof File !== 'undefined' && file instanceof File ? file : null;
  return file as FileIdentity;
}

/**
 * The key a file's record is written under: model, mode, the file's path (folder first), size and date,
 * so one folder's records lie side by side in name order, apart from another folder's files of the same
 * names (a second copy of a shoot, a camera's IMG_0001 of another day); a Blob without an identity (nothing
 * to find it by but its content) goes under its content. A file moved to another folder is still known by
 * its identity (the identities store) and is not hashed again.
 */
export function scoreRecordKey(modelVersion: string, mode: ScoreMode, { file, path }: StoredFile, contentKey: string): string {
  const known = identityOf(file);
  const identity = known ? `${path ?? known.name}|${known.size}|${known.lastModified}` : `#${contentKey}`;
  return keyPrefix(modelVersion, mode) + identity;
}

/** A folder's records under a model and mode: their keys start with its path and a slash (scoreRecordKey). */
export function folderRecordRange(modelVersion: string, mode: ScoreMode, folder: string): { readonly lower: string; readonly upper: string } {
  const lower = `${folderSnapshotKey(modelVersion, mode, folder)}/`;
  // Every key that starts with `lower` sorts before this one (no path holds U+FFFF).
  return { lower, upper: `${lower}\uffff` };
}

/** The path, size and date a record was written under, read back from its key; null for a content-keyed one. */
export function recordIdentity(key: string, modelVersion: string, mode: ScoreMode): { readonly path: string; readonly size: number; readonly lastModified: number } | null {
  const prefix = keyPrefix(modelVersion, mode);
  if (!key.startsWith(prefix)) return null;
  // From the right: a path may itself hold "|" (or start with "#"; a content-keyed record has no size and date).
  const m = /^(.+)\|(\d+)\|(-?\d+)$/.exec(key.slice(prefix.length));
  return m ? { path: m[1]!, size: Number(m[2]), lastModified: Number(m[3]) } : null;
}

/** A folder's file as the store last scored it: the path, size and date it was stored under, and its score. */
export interface KeptRecord {
  readonly path: string;
  readonly size: number;
  readonly lastModified: number;
  readonly contentKey: string;
  readonly stored: StoredScore;
}

/** Where a folder's records are kept together as one value (shared/score-db.ts, 'folders'). */
export function folderSnapshotKey(modelVersion: string, mode: ScoreMode, folder: string): string {
  return keyPrefix(modelVersion, mode) + folder;
}

/** The folder a path lies in as opened (its first segment), whose kept records a write under it outdates; null for a bare name. */
export function topFolder(path: string | undefined): string | null {
  const slash = path?.indexOf('/') ?? -1;
  return slash > 0 ? path!.slice(0, slash) : null;
}

/** One record per path from a folder's key range: where a file changed, several lie there; the newest. */
export function newestPerPath(keys: readonly unknown[], values: readonly unknown[], modelVersion: string, mode: ScoreMode): KeptRecord[] {
  const newest = new Map<string, KeptRecord>();
  keys.forEach((key, i) => {
    const identity = recordIdentity(String(key), modelVersion, mode);
    const stored = readStoredScore(values[i]);
    const contentKey = recordContentKey(values[i]);
    if (!identity || !stored || !contentKey) return;
    const seen = newest.get(identity.path);
    if (!seen || seen.lastModified < identity.lastModified) newest.set(identity.path, { ...identity, contentKey, stored });
  });
  return [...newest.values()];
}

/** A folder's kept records read back, checked; null when anything in it is not as written (read the range instead). */
export function readFolderSnapshot(value: unknown): KeptRecord[] | null {
  if (!Array.isArray(value)) return null;
  const out: KeptRecord[] = [];
  for (const v of value as Partial<KeptRecord>[]) {
    const stored = v && readStoredScore(v.stored);
    const contentKey = recordContentKey(v);
    if (!stored || !contentKey || typeof v.path !== 'string' || !finite(v.size) || !finite(v.lastModified)) return null;
    out.push({ path: v.path, size: v.size, lastModified: v.lastModified, contentKey, stored });
  }
  return out;
}

export function storedRecord(stored: StoredScore, modelVersion: string, mode: ScoreMode, contentKey: string): StoredRecord {
  return { ...stored, contentKey, resultKey: resultKey(modelVersion, mode, contentKey) };
}

/** The content key a record read back carries (undefined for a damaged one). */
export function recordContentKey(value: unknown): string | undefined {
  const key = value && typeof value === 'object' ? (value as { contentKey?: unknown }).contentKey : undefined;
  return typeof key === 'string' && key.length > 0 ? key : undefined;
}

/** Null for a Blob that is not a File (nothing to know it by without reading it). */
export function identityKey(file: Blob | FileIdentity): string | null {
  const known = identityOf(file);
  return known && `${known.name}|${known.size}|${known.lastModified}`;
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
    typeof v.hasThumb === 'boolean' &&
    Array.isArray(v.patches) &&
    typeof v.embedding === 'string' &&
    v.embedding.length > 0 &&
    typeof v.backend === 'string';
  if (!ok) return null;
  // The score alone: a record's keys stay in the worker.
  const { score, probs, width, height, downscaledFrom, format, hasThumb, patches, embedding, backend, capturedAt } = v as StoredScore;
  return { score, probs, width, height, downscaledFrom, format, hasThumb, patches, embedding, backend, capturedAt: finite(capturedAt) ? capturedAt : null };
}

/** A stored feature vector read back: null unless it has the model's length. */
export function readStoredFeatures(value: unknown, dims: number): Float32Array | null {
  return value instanceof Float32Array && value.length === dims ? value : null;
}
