// Pooled features of recently scored images, kept in the worker: calibration (issue #4) fits on them without
// re-running the backbone, and they never cross into the UI store. With a capacity the oldest rows make
// way (their copy in the score store is what calibration reads then), so memory stays flat however many
// images a session scores; without one (no score store) every image's row is kept.
//
// Stored as rows of a few large Float32Array chunks rather than one small array per image: the per-image
// cost on the worker's JS heap is then a Map entry, not an array object plus its wrapper, so the heap stays
// flat over thousands of images (bench:speed measures it).
import type { ScoreMode } from '../core/model/score-mode.ts';

export interface CachedFeatures {
  readonly mode: ScoreMode;
  /** A view into the cache: valid until that image is replaced or deleted. Copy it to keep it. */
  readonly features: Float32Array;
}

/** Rows per chunk (each chunk holds ROWS x dims floats: ~4.8 MB for the 4,640-d student). */
const ROWS = 256;

export class FeatureCache {
  /** Most rows kept; the oldest entry is dropped to make room. */
  capacity: number;
  private dims = 0;
  private chunks: Float32Array[] = [];
  private modes: ScoreMode[] = [];
  private readonly slotOf = new Map<string, number>();
  private free: number[] = [];
  private nextSlot = 0;

  constructor(capacity = Infinity) {
    this.capacity = capacity;
  }

  set(imageId: string, entry: CachedFeatures): void {
    const n = entry.features.length;
    if (this.dims !== n) {
      // First entry, or a model with another feature length: start over.
      this.clear();
      this.dims = n;
    }
    let slot = this.slotOf.get(imageId);
    if (slot === undefined) {
      while (this.slotOf.size >= this.capacity) this.delete(this.slotOf.keys().next().value!);
      slot = this.free.pop() ?? this.nextSlot++;
      this.slotOf.set(imageId, slot);
    }
    const chunk = Math.floor(slot / ROWS);
    while (this.chunks.length <= chunk) this.chunks.push(new Float32Array(ROWS * n));
    this.chunks[chunk]!.set(entry.features, (slot % ROWS) * n);
    this.modes[slot] = entry.mode;
  }

  private view(slot: number): CachedFeatures {
    const offset = (slot % ROWS) * this.dims;
    return { mode: this.modes[slot]!, features: this.chunks[Math.floor(slot / ROWS)]!.subarray(offset, offset + this.dims) };
  }

  get(imageId: string): CachedFeatures | undefined {
    const slot = this.slotOf.get(imageId);
    return slot === undefined ? undefined : this.view(slot);
  }

  delete(imageId: string): boolean {
    const slot = this.slotOf.get(imageId);
    if (slot === undefined) return false;
    this.slotOf.delete(imageId);
    this.free.push(slot);
    return true;
  }

  clear(): number {
    const n = this.slotOf.size;
    this.slotOf.clear();
    this.chunks = [];
    this.modes = [];
    this.free = [];
    this.nextSlot = 0;
    return n;
  }

  /** Every cached image, in insertion order. */
  entries(): [string, CachedFeatures][] {
    return [...this.slotOf].map(([id, slot]) => [id, this.view(slot)]);
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** Bytes of the cached vectors (the chunks allocate up to 255 rows more). */
  get bytes(): number {
    return this.slotOf.size * this.dims * 4;
  }
}
