// The current scoring run: how many images were sent, how many came back, and when, for the progress bar
// and the images/s figure. A run spans from the first image queued while idle to the last result.
import type { SliceCreator } from './store.ts';

export interface RunState {
  readonly active: boolean;
  readonly total: number;
  readonly scored: number;
  readonly failed: number;
  readonly cancelled: boolean;
  readonly startedAt: number | null;
  /** Time of the latest result; images/s is measured up to it. */
  readonly lastAt: number | null;
  /** Summed worker time of the scored images: decoding (incl. thumbnail) and model (preprocess + inference). */
  readonly decodeMs: number;
  readonly modelMs: number;
}

export interface RunSlice {
  readonly run: RunState;
  startRun(count: number, now: number): void;
  recordResults(scored: number, failed: number, now: number, ms?: { decode: number; model: number }): void;
  finishRun(cancelled: boolean, now: number): void;
}

export const idleRun: RunState = { active: false, total: 0, scored: 0, failed: 0, cancelled: false, startedAt: null, lastAt: null, decodeMs: 0, modelMs: 0 };

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
              decodeMs: s.run.decodeMs + (ms?.decode ?? 0),
              modelMs: s.run.modelMs + (ms?.model ?? 0),
            },
          },
    ),
  finishRun: (cancelled, now) => set((s) => ({ run: { ...s.run, active: false, cancelled, lastAt: s.run.lastAt ?? now } })),
});
