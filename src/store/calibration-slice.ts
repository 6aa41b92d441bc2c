// The active calibration profile (issue #4 creates them). While it is null, or fitted on another model
// version, scores show on the model's own scale.
import type { CalibrationProfile } from '../shared/score-scale.ts';
import type { SliceCreator } from './store.ts';

export interface CalibrationSlice {
  readonly calibration: { readonly profile: CalibrationProfile | null };
  setCalibrationProfile(profile: CalibrationProfile | null): void;
}

export const createCalibrationSlice: SliceCreator<CalibrationSlice> = (set) => ({
  calibration: { profile: null },
  setCalibrationProfile: (profile) => set({ calibration: { profile } }),
});
