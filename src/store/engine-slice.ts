// The inference engine as the UI sees it: starting / ready / failed, which backend runs and why, the model.
import type { BackendReport, InitStage, ModelInfo } from '../worker/protocol.ts';
import type { SliceCreator } from './store.ts';

export interface EngineState {
  readonly status: 'starting' | 'ready' | 'failed';
  readonly stage: InitStage | null;
  readonly backend: BackendReport | null;
  readonly model: ModelInfo | null;
  /** The primary worker's start-up, and when it was ready (page clock, ms since navigation). */
  readonly timings: { readonly backendMs: number; readonly loadMs: number; readonly warmUpMs: number; readonly readyAtMs: number } | null;
  readonly error: string | null;
  readonly warnings: readonly string[];
  /** Times the scoring worker was replaced after it crashed or hung, and why the last time. */
  readonly restarts: number;
  readonly restartReason: string | null;
  /** Inference workers scoring now (a pool on multi-core machines). */
  readonly workers: number;
}

export interface EngineSlice {
  readonly engine: EngineState;
  engineStage(stage: InitStage): void;
  engineReady(ready: Pick<EngineState, 'backend' | 'model' | 'timings'>): void;
  engineFailed(error: string): void;
  /**
   * A worker is being replaced (it crashed or hung) and reloads the model. Only the primary worker's restart
   * puts the engine back to starting: while a secondary restarts, the others go on scoring.
   */
  engineRestarting(reason: string, primary: boolean): void;
  engineWorkers(workers: number): void;
  engineWarnings(warnings: readonly string[]): void;
}

export const startingEngine: EngineState = { status: 'starting', stage: null, backend: null, model: null, timings: null, error: null, warnings: [], restarts: 0, restartReason: null, workers: 0 };

export const createEngineSlice: SliceCreator<EngineSlice> = (set) => ({
  engine: startingEngine,
  engineStage: (stage) => set((s) => ({ engine: { ...s.engine, stage } })),
  engineReady: (ready) => set((s) => ({ engine: { ...s.engine, ...ready, status: 'ready', stage: null, error: null } })),
  engineFailed: (error) => set((s) => ({ engine: { ...s.engine, status: 'failed', stage: null, error } })),
  engineRestarting: (reason, primary) =>
    set((s) => ({
      engine: { ...s.engine, ...(primary ? { status: 'starting' as const, stage: null } : {}), restarts: s.engine.restarts + 1, restartReason: reason },
    })),
  engineWorkers: (workers) => set((s) => ({ engine: { ...s.engine, workers } })),
  engineWarnings: (warnings) => set((s) => ({ engine: { ...s.engine, warnings } })),
});
