// What the scoring modes are called and what they do, in words a user reads (TF-free: the main thread
// imports it). The ids stay 'fast' / 'accurate' in stored scores, exports and model manifests.
import type { ScoreMode } from '../core/model/score-mode.ts';

export const MODE_LABEL: Record<ScoreMode, string> = {
  fast: 'Quick',
  accurate: 'Detail',
};

export const MODE_HINT: Record<ScoreMode, string> = {
  fast: 'Quick: the whole image at 224×224',
  accurate: 'Detail: the whole image at 512 px, plus 4 patches at 1:1 pixels where large photos have the most detail (catches missed focus and noise; slower)',
};
