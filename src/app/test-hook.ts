// A narrow, typed window hook for e2e tests and bench:speed: read-only snapshots of the store and a memory
// report. It exposes no way to change state; tests drive the app through the UI like a person.
import { featuresOf, injectWorkerFault, workerMemory } from '../engine-client/scoring-service.ts';
import { decisionOf } from '../store/culling-selectors.ts';
import { imagesPerSecond, type RunState } from '../store/run-slice.ts';
import { burstOf, type Counts, computeVisibleIds, displayScore, selectCounts, selectScale, selectShownIds } from '../store/selectors.ts';
import type { Settings } from '../store/settings-slice.ts';
import { useLeaf } from '../store/store.ts';
import type { ScoreScale } from '../shared/score-scale.ts';
import type { EngineState } from '../store/engine-slice.ts';
import type { ImageItem } from '../store/images-slice.ts';
import type { TestFault, WorkerMemory } from '../worker/protocol.ts';

export interface ImageSnapshot {
  readonly id: string;
  readonly name: string;
  readonly path: string;
  readonly status: ImageItem['status'];
  readonly score: number | null;
  readonly raw: number | null;
  readonly mode: string | null;
  readonly error: ImageItem['error'];
  readonly width: number | null;
  readonly height: number | null;
  readonly downscaledFrom: ImageItem['downscaledFrom'];
  readonly format: string | null;
  /** 1:1 detail patches blended into the score (0 when seen whole). */
  readonly patches: number;
  /** The score came from the browser's score store (an earlier session), not the model. */
  readonly stored: boolean;
  readonly hasThumb: boolean;
  readonly capturedAt: number | null;
  /** The burst the image belongs to (size, best frame), or null. */
  readonly burst: { readonly size: number; readonly best: boolean; readonly closed: boolean } | null;
}

export interface LeafSummary {
  readonly engine: Pick<EngineState, 'status' | 'backend' | 'model' | 'timings' | 'error' | 'restarts' | 'restartReason' | 'workers'>;
  readonly run: RunState & { readonly imagesPerSecond: number | null };
  readonly counts: Counts;
  readonly settings: Settings;
  readonly scale: ScoreScale | null;
}

export interface LeafSnapshot extends LeafSummary {
  /** In the order the grid shows them (current sort and filter), closed burst stacks included. */
  readonly images: readonly ImageSnapshot[];
  /** Names of the images the grid shows: a closed stack shows one frame. */
  readonly shown: readonly string[];
}

export interface LeafMemory {
  /** Summed over the scoring workers. */
  readonly worker: WorkerMemory;
  readonly workers: number;
  readonly page: { readonly jsHeapBytes: number | null };
}

export interface LeafTestHook {
  summary(): LeafSummary;
  /**
   * Resolves once `count` images are scored: one awaited call instead of polling `summary()`, whose calls
   * would take the page's main thread from the scoring they time (benches on two cores).
   */
  whenScored(count: number): Promise<void>;
  /** Resolves once no run is active and `count` images are scored or failed (same reason as whenScored). */
  whenSettled(count: number): Promise<void>;
  state(): LeafSnapshot;
  memory(): Promise<LeafMemory>;
  /** The pooled backbone features the worker keeps for an image (null if not scored). */
  features(imageId: string): Promise<{ mode: string; values: number[] } | null>;
  /** Calibration (issue #4): active profile, its ratings, the latest fit's metrics. */
  calibration(): CalibrationSnapshot;
  /** Teach on my photos (issue #11): the local teacher, its judgments by image name, what the latest fit did with them. */
  teacher(): TeacherSnapshot;
  /** Culling (issue #9): decisions by image name, the view's image and zoom, whether saved ones were restored. */
  culling(): CullingSnapshot;
  /** Fault injection, the one exception to read-only: the worker hangs, crashes or exits on its next image. */
  workerFault(fault: TestFault): Promise<void>;
}

export interface TeacherSnapshot {
  readonly status: string;
  readonly id: string | null;
  readonly kind: string | null;
  readonly device: string | null;
  readonly error: string | null;
  readonly judgments: Record<string, { readonly score: number; readonly reliability: number }>;
  readonly run: { readonly total: number; readonly done: number; readonly cached: number } | null;
  readonly failed: number;
  /** From the latest calibration fit: null when the fit had no teacher judgments. */
  readonly use: { readonly judged: number; readonly shared: number; readonly used: number; readonly scale: number | null; readonly reason: string | null } | null;
}

export interface CullingSnapshot {
  readonly restored: boolean;
  readonly current: string | null;
  readonly zoom: boolean;
  readonly decisions: Record<string, { readonly stars: number | null; readonly flag: string | null; readonly by: string }>;
}

export interface CalibrationSnapshot {
  readonly profileId: string | null;
  readonly applied: boolean;
  readonly ratings: number;
  readonly status: string;
  readonly hasHead: boolean;
  readonly cv: { srcc: number | null; plcc: number | null; rmse: number | null } | null;
  readonly points: number;
  readonly fitMs: number | null;
  readonly headMs: number | null;
  readonly cvMs: number | null;
  readonly intervals: Record<string, readonly [number, number]>;
}

declare global {
  interface Window {
    __leaf?: LeafTestHook;
  }
}

function summary(): LeafSummary {
  const s = useLeaf.getState();
  const { status, backend, model, timings, error, restarts, restartReason, workers } = s.engine;
  return {
    engine: { status, backend, model, timings, error, restarts, restartReason, workers },
    run: { ...s.run, imagesPerSecond: imagesPerSecond(s.run) },
    counts: selectCounts(s),
    settings: s.settings,
    scale: selectScale(s),
  };
}

function whenScored(count: number): Promise<void> {
  return when(() => selectCounts(useLeaf.getState()).scored >= count);
}

function whenSettled(count: number): Promise<void> {
  return when(() => {
    const s = useLeaf.getState();
    const c = selectCounts(s);
    return !s.run.active && c.scored + c.failed >= count;
  });
}

/** Resolves at the first store update after which `done()` holds (at once if it already does). */
function when(done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (done()) return resolve();
    const stop = useLeaf.subscribe(() => {
      if (!done()) return;
      stop();
      resolve();
    });
  });
}

export function installTestHook(): void {
  window.__leaf = {
    summary,
    whenScored,
    whenSettled,
    state() {
      const s = useLeaf.getState();
      const images = computeVisibleIds(s).map((id): ImageSnapshot => {
        const it = s.images.byId[id]!;
        return {
          id,
          name: it.name,
          path: it.path,
          status: it.status,
          score: displayScore(s, it),
          raw: it.score?.raw ?? null,
          mode: it.score?.mode ?? null,
          error: it.error,
          width: it.width,
          height: it.height,
          downscaledFrom: it.downscaledFrom,
          format: it.format,
          patches: it.score?.patches?.length ?? 0,
          stored: it.score?.stored ?? false,
          hasThumb: it.thumbVersion > 0,
          capturedAt: it.capturedAt,
          burst: burstOf(s, id),
        };
      });
      return { ...summary(), images, shown: selectShownIds(s).map((id) => s.images.byId[id]!.name) };
    },
    calibration() {
      const c = useLeaf.getState().calibration;
      return {
        profileId: c.active?.id ?? null,
        applied: c.displayCurve !== null,
        ratings: c.active?.ratings.length ?? 0,
        status: c.status,
        hasHead: !!c.active?.head,
        cv: c.fit ? { srcc: c.fit.cv.srcc, plcc: c.fit.cv.plcc, rmse: c.fit.cv.rmse } : null,
        points: c.fit?.points.length ?? 0,
        fitMs: c.fit?.ms ?? null,
        headMs: c.fit?.fitMs ?? null,
        cvMs: c.fit?.cvMs ?? null,
        intervals: { ...c.intervals },
      };
    },
    teacher() {
      const s = useLeaf.getState();
      const t = s.teacher;
      const judgments: TeacherSnapshot['judgments'] = {};
      for (const id of s.images.order) {
        const it = s.images.byId[id]!;
        const j = it.contentKey ? t.judgments[it.contentKey] : undefined;
        if (j) judgments[it.name] = j;
      }
      return {
        status: t.status,
        id: t.info?.id ?? null,
        kind: t.info?.kind ?? null,
        device: t.info?.device ?? null,
        error: t.error,
        judgments,
        run: t.run,
        failed: t.failed.length,
        use: s.calibration.fit?.teacher ?? null,
      };
    },
    culling() {
      const s = useLeaf.getState();
      const decisions: Record<string, CullingSnapshot['decisions'][string]> = {};
      for (const id of s.images.order) {
        const d = decisionOf(s, id);
        if (d.stars === null && d.flag === null) continue;
        decisions[s.images.byId[id]!.name] = { stars: d.stars, flag: d.flag, by: `${d.starsBy ?? '-'}/${d.flagBy ?? '-'}` };
      }
      const current = s.culling.currentId;
      return { restored: s.culling.restored, current: current ? (s.images.byId[current]?.name ?? null) : null, zoom: s.culling.zoom, decisions };
    },
    async features(imageId) {
      const [entry] = await featuresOf([imageId]);
      return entry ? { mode: entry.mode, values: Array.from(entry.features) } : null;
    },
    workerFault: injectWorkerFault,
    async memory() {
      const worker = await workerMemory();
      (globalThis as { gc?: () => void }).gc?.();
      const heap = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
      return { worker, workers: useLeaf.getState().engine.workers, page: { jsHeapBytes: heap?.usedJSHeapSize ?? null } };
    },
  };
}
