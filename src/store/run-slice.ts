// The current scoring run: how many images were sent, how many came back, and when, for the progress bar
// and the images/s figure. A run spans from the first image queued while idle to the last result.
import type { SliceCreator } from './store.ts';
import { NO_STAGE_TIMES, type StageTimes, WORKER_STAGES } from '../worker/protocol.ts';

export interface RunState {
  readonly active: boolean;
  readonly total: number;
  readonly scored: number;
  readonly failed: number;
  readonly cancelled: boolean;
  readonly startedAt: number | null;
  /** Time of the latest result; images/s is measured up to it. */
  readonly lastAt: number | null;
  /** Summed worker time of the images the model scored (not answered from the store), per stage. */
  readonly stageMs: StageTimes;
  readonly modelScored: number;
  /** Summed page time spent applying results to the store (the render follows). */
  readonly applyMs: number;
}

export interface RunSlice {
  readonly run: RunState;
  startRun(count: number, now: number): void;
  recordResults(scored: number, failed: number, now: number, ms?: { stages: StageTimes; modelScored: number; applyMs: number }): void;
  finishRun(cancelled: boolean, now: number): void;
  /**
   * Images listed in a reopened folder whose files are not read yet: the run lasts until they are, and the
   * views that show a file look again as it changes.
   */
  readonly filesUnread: number;
  setFilesUnread(count: number): void;
}

export const idleRun: RunState = { active: false, total: 0, scored: 0, failed: 0, cancelled: false, startedAt: null, lastAt: null, stageMs: NO_STAGE_TIMES, modelScored: 0, applyMs: 0 };

export function addStageTimes(a: StageTimes, b: StageTimes): StageTimes {
  return Object.fromEntries(WORKER_STAGES.map((k) => [k, a[k] + b[k]])) as Record<keyof StageTimes, number>;
}

export function imagesPerSecond(run: RunState): number | null {
  const done = run.scored + run.failed;
  if (run.startedAt === null || run.lastAt === null || done === 0 || run.lastAt <= run.startedAt) return null;
  return (done * 1000) / (run.lastAt - run.startedAt);
}

export const createRunSlice: SliceCreator<RunSlice> = (set) => ({
  run: idleRun,
  startRun: (count, now) =>
    set((s) =>
      s.run.active
        ? { run: { ...s.run, total: s.run.total + count } }
        : { run: { ...idleRun, active: true, total: count, startedAt: now } },
    ),
  recordResults: (scored, failed, now, ms) =>
    set((s) =>
      scored + failed === 0
        ? s
        : {
            run: {
              ...s.run,
              scored: s.run.scored + scored,
              failed: s.run.failed + failed,
              lastAt: now,
              stageMs: ms ? addStageTimes(s.run.stageMs, ms.stages) : s.run.stageMs,
              modelScored: s.run.modelScored + (ms?.modelScored ?? 0),
              applyMs: s.run.applyMs + (ms?.applyMs ?? 0),
            },
          },
    ),
  filesUnread: 0,
  setFilesUnread: (count) => set((s) => (s.filesUnread === count ? s : { filesUnread: count })),
  finishRun: (cancelled, now) => set((s) => ({ run: { ...s.run, active: false, cancelled, lastAt: s.run.lastAt ?? now } })),
});
