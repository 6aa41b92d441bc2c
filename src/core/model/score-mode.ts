// The scoring modes, free of TF.js: the main thread (store, UI, worker protocol) imports them from here, so
// nothing it loads pulls in the ML runtime, which lives in the worker alone.
export type ScoreMode = 'fast' | 'accurate';
export const SCORE_MODES: readonly ScoreMode[] = ['fast', 'accurate'];
