// Every image the user added, as plain data: what it is, where it stands, its score. Files, bitmaps and
// features live elsewhere (engine-client/file-registry.ts, the worker); thumbnails are object-URL strings.
import type { PatchBox } from '../core/model/detail-patches.ts';
import type { ScoreMode } from '../core/model/score-mode.ts';
import type { LevelProbs } from '../core/teacher/types.ts';
import type { BackendName, ImageError } from '../worker/protocol.ts';
import type { SliceCreator } from './store.ts';

export type ImageStatus = 'queued' | 'scored' | 'failed' | 'cancelled';

export interface ImageScore {
  /** On the model's own scale (manifest.output); display scales derive from it. */
  readonly raw: number;
  readonly probs: LevelProbs;
  readonly mode: ScoreMode;
  readonly backend: BackendName;
  readonly modelVersion: string;
  /** 1:1 detail patches blended into this score (decoded-image pixels); absent when the image was seen whole. */
  readonly patches?: readonly PatchBox[];
  /** Present when the score was kept from an earlier session (same file content, model and mode), not recomputed. */
  readonly stored?: true;
}

export interface ImageItem {
  readonly id: string;
  /** The file's name as dropped. */
  readonly name: string;
  /** Folder-relative path for folder picks/drops, else the name. */
  readonly path: string;
  readonly status: ImageStatus;
  readonly score: ImageScore | null;
  readonly error: ImageError | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly downscaledFrom: { readonly width: number; readonly height: number } | null;
  readonly format: string | null;
  /** Counts thumbnails received (0: none yet): a new one re-renders the cards, which ask engine-client for its URL. */
  readonly thumbVersion: number;
  /** sha256 of the file's bytes, from the worker with the score (null until scored): ratings are keyed by it. */
  readonly contentKey: string | null;
  /** EXIF capture time (camera clock, ms) when the file records one: bursts are grouped by it. */
  readonly capturedAt: number | null;
  /** Packed content embedding for grouping bursts and near-duplicates (null until scored). */
  readonly embedding: string | null;
  /** Order of arrival, for the "added" sort. */
  readonly seq: number;
}

export type NewImage = Pick<ImageItem, 'id' | 'name' | 'path'>;

export type ImageUpdate =
  | {
      readonly id: string;
      readonly kind: 'scored';
      readonly score: ImageScore;
      readonly width: number;
      readonly height: number;
      readonly downscaledFrom: ImageItem['downscaledFrom'];
      readonly format: string;
      readonly hasThumb: boolean;
      readonly contentKey: string;
      readonly capturedAt: number | null;
      readonly embedding: string;
    }
  | { readonly id: string; readonly kind: 'failed'; readonly error: ImageError };

export interface ImagesSlice {
  readonly images: { readonly order: readonly string[]; readonly byId: Readonly<Record<string, ImageItem>> };
  addImages(items: readonly NewImage[]): void;
  /** Applies a batch of worker results in one store update (results stream in faster than React should render). */
  applyUpdates(updates: readonly ImageUpdate[]): void;
  /** Marks the given images queued again (rescoring) or, with status 'cancelled', gives up on them. */
  setStatus(ids: readonly string[], status: 'queued' | 'cancelled'): void;
  /**
   * Thumbnails read from the score store that have arrived, by image: cards show them then. Apart from
   * `images` so their arrival (while the grid scrolls) re-derives nothing over all images (bursts, order).
   */
  readonly thumbsLoaded: Readonly<Record<string, number>>;
  thumbsArrived(ids: readonly string[]): void;
  clearImages(): void;
}

export const emptyImages: ImagesSlice['images'] = { order: [], byId: {} };

const NEW_ITEM: Omit<ImageItem, 'id' | 'name' | 'path' | 'seq'> = {
  status: 'queued',
  score: null,
  error: null,
  width: null,
  height: null,
  downscaledFrom: null,
  format: null,
  thumbVersion: 0,
  contentKey: null,
  capturedAt: null,
  embedding: null,
};

/**
 * An item with `changes` applied, written out field by field: a spread (`{ ...it, status, … }`) gave every
 * item a separate property store besides the object itself, and a shoot keeps one item per photo.
 */
function imageItem(base: Pick<ImageItem, 'id' | 'name' | 'path' | 'seq'> & Partial<ImageItem>, changes: Partial<ImageItem> = {}): ImageItem {
  const v = { ...NEW_ITEM, ...base, ...changes };
  return {
    id: v.id,
    name: v.name,
    path: v.path,
    status: v.status,
    score: v.score,
    error: v.error,
    width: v.width,
    height: v.height,
    downscaledFrom: v.downscaledFrom,
    format: v.format,
    thumbVersion: v.thumbVersion,
    contentKey: v.contentKey,
    capturedAt: v.capturedAt,
    embedding: v.embedding,
    seq: v.seq,
  };
}

export const createImagesSlice: SliceCreator<ImagesSlice> = (set) => ({
  images: emptyImages,
  addImages: (items) =>
    set((s) => {
      const byId = { ...s.images.byId };
      const order = [...s.images.order];
      for (const it of items) {
        if (byId[it.id]) continue;
        byId[it.id] = imageItem({ id: it.id, name: it.name, path: it.path, seq: order.length });
        order.push(it.id);
      }
      return { images: { order, byId } };
    }),
  applyUpdates: (updates) =>
    set((s) => {
      if (updates.length === 0) return s;
      const byId = { ...s.images.byId };
      for (const u of updates) {
        const old = byId[u.id];
        if (!old) continue;
        byId[u.id] =
          u.kind === 'scored'
            ? imageItem(old, {
                status: 'scored',
                score: u.score,
                error: null,
                width: u.width,
                height: u.height,
                downscaledFrom: u.downscaledFrom,
                format: u.format,
                thumbVersion: u.hasThumb ? old.thumbVersion + 1 : old.thumbVersion,
                contentKey: u.contentKey,
                capturedAt: u.capturedAt,
                embedding: u.embedding,
              })
            : imageItem(old, { status: 'failed', error: u.error });
      }
      return { images: { order: s.images.order, byId } };
    }),
  setStatus: (ids, status) =>
    set((s) => {
      const byId = { ...s.images.byId };
      for (const id of ids) {
        const old = byId[id];
        if (!old) continue;
        if (status === 'cancelled' && old.status !== 'queued') continue;
        byId[id] = imageItem(old, { status });
      }
      return { images: { order: s.images.order, byId } };
    }),
  thumbsLoaded: {},
  thumbsArrived: (ids) =>
    set((s) => {
      if (ids.length === 0) return s;
      const thumbsLoaded = { ...s.thumbsLoaded };
      for (const id of ids) if (s.images.byId[id]) thumbsLoaded[id] = (thumbsLoaded[id] ?? 0) + 1;
      return { thumbsLoaded };
    }),
  clearImages: () => set({ images: emptyImages, thumbsLoaded: {} }),
});
