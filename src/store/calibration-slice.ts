// Calibration (issue #4): the profiles the user has, the active one's ratings, and the latest fit's
// results as plain numbers (calibrated score and interval per image, cross-validated metrics, plot data).
// `displayCurve` is the display scale the selectors use: set only once a head exists for this model version.
// While it is null, or fitted on another model version, scores show on the model's own scale.
import type { SessionResult } from '../core/calibration/fit-session.ts';
import type { CalibrationProfile, RatingScale } from '../core/calibration/profile.ts';
import type { DisplayCurve } from '../shared/score-scale.ts';
import type { SliceCreator } from './store.ts';

export interface ProfileSummary {
  readonly id: string;
  readonly name: string;
  readonly ratings: number;
  readonly updatedAt: string;
}

export type FitSummary = Omit<SessionResult, 'values' | 'intervals' | 'head'>;

export interface CalibrationState {
  readonly displayCurve: DisplayCurve | null;
  readonly profiles: readonly ProfileSummary[];
  /** The active profile as stored (ratings + head). */
  readonly active: CalibrationProfile | null;
  readonly values: Readonly<Record<string, number>>;
  readonly intervals: Readonly<Record<string, readonly [number, number]>>;
  readonly fit: FitSummary | null;
  readonly status: 'idle' | 'fitting' | 'error';
  readonly error: string | null;
  /** Last profile import/export message (a refusal names its reason). */
  readonly notice: { readonly kind: 'ok' | 'error'; readonly text: string } | null;
  readonly rater: string;
  readonly mode: RatingScale;
  /**
   * IndexedDB trouble: what is wrong (null when saving works) and how many profile changes wait in this
   * tab's memory for storage to work again.
   */
  readonly storage: { readonly problem: string | null; readonly unsaved: number };
  /** The image in the Rate panel, or null when it is closed. */
  readonly rating: { readonly open: boolean; readonly imageId: string | null };
}

export interface CalibrationSlice {
  readonly calibration: CalibrationState;
  setDisplayCurve(curve: DisplayCurve | null): void;
  patchCalibration(patch: Partial<CalibrationState>): void;
}

export const initialCalibration: CalibrationState = {
  displayCurve: null,
  profiles: [],
  active: null,
  values: {},
  intervals: {},
  fit: null,
  status: 'idle',
  error: null,
  notice: null,
  rater: 'me',
  mode: 'acr5',
  storage: { problem: null, unsaved: 0 },
  rating: { open: false, imageId: null },
};

export const createCalibrationSlice: SliceCreator<CalibrationSlice> = (set) => ({
  calibration: initialCalibration,
  setDisplayCurve: (displayCurve) => set((s) => ({ calibration: { ...s.calibration, displayCurve } })),
  patchCalibration: (patch) => set((s) => ({ calibration: { ...s.calibration, ...patch } })),
});
