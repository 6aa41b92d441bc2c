// Derived views of the store. Selectors that build arrays are memoised on their inputs so components can
// subscribe to them directly (zustand 5 requires stable snapshots).
import { type Burst, groupBursts } from '../core/culling/bursts.ts';
import { activeScale, displayCurveApplies, type ScoreScale, toDisplay } from '../shared/score-scale.ts';
import type { ImageItem } from './images-slice.ts';
import type { Settings } from './settings-slice.ts';
import type { LeafState } from './store.ts';


/** The score as displayed (calibrated when a profile for this model is active), or null if unscored. */
export function displayScore(s: Pick<LeafState, 'engine' | 'calibration'>, item: ImageItem): number | null {
  if (!item.score) return null;
  // The worker's per-image calibrated value (monotone map + feature residual) when the head covers this
  // image; else the profile's curve (e.g. just scored, before the debounced refit lands).
  const { displayCurve, values } = s.calibration;
  const v = values[item.id];
  if (v !== undefined && displayCurveApplies(displayCurve, s.engine.model)) return v;
  return toDisplay(item.score.raw, s.engine.model, displayCurve);
}

function passes(item: ImageItem, value: number | null, filter: Settings['filter']): boolean {
  if (filter.status === 'scored' && item.status !== 'scored') return false;
  if (filter.status === 'failed' && item.status !== 'failed') return false;
  if (filter.min !== null && (value === null || value < filter.min)) return false;
  if (filter.max !== null && (value === null || value > filter.max)) return false;
  return true;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function computeVisibleIds(s: Pick<LeafState, 'images' | 'settings' | 'engine' | 'calibration'>): string[] {
  const { order, byId } = s.images;
  const { filter, sort } = s.settings;
  const rows: { item: ImageItem; value: number | null }[] = [];
  for (const id of order) {
    const item = byId[id]!;
    const value = displayScore(s, item);
    if (passes(item, value, filter)) rows.push({ item, value });
  }
  const sign = sort.dir === 'asc' ? 1 : -1;
  if (sort.key === 'name') rows.sort((a, b) => sign * collator.compare(a.item.path, b.item.path) || a.item.seq - b.item.seq);
  else if (sort.key === 'score') {
    // Unscored images always go last, whatever the direction.
    rows.sort((a, b) => {
      if (a.value === null || b.value === null) return (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || a.item.seq - b.item.seq;
      return sign * (a.value - b.value) || a.item.seq - b.item.seq;
    });
  } else if (sort.dir === 'desc') rows.reverse();
  return rows.map((r) => r.item.id);
}

function memo<T>(fn: (s: LeafState) => T, deps: (s: LeafState) => readonly unknown[]): (s: LeafState) => T {
  let last: readonly unknown[] | null = null;
  let value: T;
  return (s) => {
    const d = deps(s);
    if (!last || d.length !== last.length || d.some((x, i) => x !== last![i])) {
      value = fn(s);
      last = d;
    }
    return value;
  };
}

export const selectScale = memo(
  (s): ScoreScale | null => activeScale(s.engine.model, s.calibration.displayCurve),
  (s) => [s.engine.model, s.calibration.displayCurve],
);

export const selectVisibleIds = memo(computeVisibleIds, (s) => [
  s.images.order,
  s.images.byId,
  s.settings.filter,
  s.settings.sort,
  s.engine.model,
  s.calibration.displayCurve,
  s.calibration.values,
]);

export interface Counts {
  readonly total: number;
  readonly scored: number;
  readonly failed: number;
  readonly queued: number;
  readonly cancelled: number;
}

export const selectCounts = memo(
  (s): Counts => {
    const c = { total: 0, scored: 0, failed: 0, queued: 0, cancelled: 0 };
    for (const id of s.images.order) {
      c.total++;
      c[s.images.byId[id]!.status]++;
    }
    return c;
  },
  (s) => [s.images.order, s.images.byId],
);

/** Displayed scores of every scored image (unfiltered), for the histogram. */
export const selectAllScores = memo(
  (s): number[] => {
    const out: number[] = [];
    for (const id of s.images.order) {
      const v = displayScore(s, s.images.byId[id]!);
      if (v !== null) out.push(v);
    }
    return out;
  },
  (s) => [s.images.order, s.images.byId, s.engine.model, s.calibration.displayCurve, s.calibration.values],
);

export function histogram(values: readonly number[], min: number, max: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const width = (max - min) / bins;
  for (const v of values) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor((v - min) / width)));
    counts[i]!++;
  }
  return counts;
}

export interface BurstView {
  readonly bursts: readonly Burst[];
  /** Each grouped image's burst (index into bursts). */
  readonly of: ReadonlyMap<string, number>;
}

function embeddingOf(it: ImageItem): string | null {
  return it.status === 'scored' && it.embedding ? it.embedding : null;
}

/** Bursts among the scored images (all of them, whatever the filter), best frame by displayed score. */
export const selectBursts = memo(
  (s): BurstView => {
    const bursts = groupBursts(
      s.images.order.map((id) => {
        const it = s.images.byId[id]!;
        return { id, embedding: embeddingOf(it), capturedAt: it.capturedAt, score: displayScore(s, it) };
      }),
    );
    const of = new Map<string, number>();
    bursts.forEach((b, i) => b.ids.forEach((id) => of.set(id, i)));
    return { bursts, of };
  },
  (s) => [s.images.order, s.images.byId, s.engine.model, s.calibration.displayCurve, s.calibration.values],
);

/** An image's burst as a card shows it, or null. Stable per value (cards re-render only when theirs changes). */
export interface BurstLabel {
  readonly size: number;
  /** The highest-scoring frame. */
  readonly best: boolean;
  /** Its burst's first frame: names the stack (view.openStacks). */
  readonly stack: string;
  /** Shown as a closed stack: this frame stands for the others, which are hidden. */
  readonly closed: boolean;
}
const burstLabels = new Map<string, BurstLabel>();
export function burstOf(s: LeafState, id: string): BurstLabel | null {
  const view = selectBursts(s);
  const i = view.of.get(id);
  if (i === undefined) return null;
  const b = view.bursts[i]!;
  const stack = b.ids[0]!;
  const closed = s.culling.settings.stackBursts && !s.view.openStacks.includes(stack);
  const key = `${b.ids.length}|${b.best === id}|${stack}|${closed}`;
  let label = burstLabels.get(key);
  if (!label) {
    // Keyed by stack too: bounded so a long session's bursts do not pile up here.
    if (burstLabels.size >= 4096) burstLabels.clear();
    burstLabels.set(key, (label = { size: b.ids.length, best: b.best === id, stack, closed }));
  }
  return label;
}

/**
 * What the grid, the large view and the culling view step through: the visible images with each closed
 * stack down to one frame, its best (or, when the filter hides the best, its first visible frame).
 * Exports and counts keep every image.
 */
export const selectShownIds = memo(
  (s): readonly string[] => {
    const visible = selectVisibleIds(s);
    if (!s.culling.settings.stackBursts) return visible;
    const { bursts, of } = selectBursts(s);
    const open = new Set(s.view.openStacks);
    const shown = new Set(visible);
    const standIn = new Map<number, string>();
    for (const id of visible) {
      const i = of.get(id);
      if (i === undefined || standIn.has(i)) continue;
      const b = bursts[i]!;
      standIn.set(i, shown.has(b.best) ? b.best : id);
    }
    return visible.filter((id) => {
      const i = of.get(id);
      return i === undefined || open.has(bursts[i]!.ids[0]!) || standIn.get(i) === id;
    });
  },
  (s) => [selectVisibleIds(s), s.culling.settings.stackBursts, selectBursts(s), s.view.openStacks],
);
