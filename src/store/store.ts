// The one zustand store, composed of typed slices. Plain, serialisable data only: no tensors, bitmaps,
// workers or Files (see scoring/ for those).
import { create, type StateCreator } from 'zustand';
import { type CalibrationSlice, createCalibrationSlice } from './calibration-slice.ts';
import { createCullingSlice, type CullingSlice } from './culling-slice.ts';
import { createEngineSlice, type EngineSlice } from './engine-slice.ts';
import { createImagesSlice, type ImagesSlice } from './images-slice.ts';
import { createRunSlice, type RunSlice } from './run-slice.ts';
import { createSettingsSlice, type SettingsSlice } from './settings-slice.ts';
import { createTeacherSlice, type TeacherSlice } from './teacher-slice.ts';
import { createViewSlice, type ViewSlice } from './view-slice.ts';

export type LeafState = ImagesSlice & RunSlice & EngineSlice & SettingsSlice & ViewSlice & CalibrationSlice & CullingSlice & TeacherSlice;

export type SliceCreator<T> = StateCreator<LeafState, [], [], T>;

export const useLeaf = create<LeafState>()((...a) => ({
  ...createImagesSlice(...a),
  ...createRunSlice(...a),
  ...createEngineSlice(...a),
  ...createSettingsSlice(...a),
  ...createViewSlice(...a),
  ...createCalibrationSlice(...a),
  ...createCullingSlice(...a),
  ...createTeacherSlice(...a),
}));

const initial = useLeaf.getState();

/** Back to a fresh store (tests). */
export function resetStore(): void {
  useLeaf.setState(initial, true);
}
