// "Teach on my photos": the local teacher as the UI sees it (off until the user loads a model folder), its
// judgments of the user's images by content key, and whether calibration may use them.
import type { LocalKind } from '../core/teacher/local/model-folder.ts';
import type { SliceCreator } from './store.ts';

export interface TeacherInfo {
  readonly folder: string;
  readonly id: string;
  readonly kind: LocalKind;
  readonly dtype: string;
  readonly device: 'webgpu' | 'wasm';
  readonly loadMs: number;
}

export interface TeacherState {
  readonly status: 'off' | 'loading' | 'ready' | 'judging' | 'error';
  readonly info: TeacherInfo | null;
  /** Why loading failed (or the worker died), in words; null otherwise. */
  readonly error: string | null;
  /** The teacher's judgment of each image it has judged, by content key. */
  readonly judgments: Readonly<Record<string, { readonly score: number; readonly reliability: number }>>;
  /** Images the teacher could not judge, with the reason. */
  readonly failed: readonly { readonly key: string; readonly name: string; readonly message: string }[];
  /** The current run: images asked, answered (judged or failed), and how many came from the cache. */
  readonly run: { readonly total: number; readonly done: number; readonly cached: number } | null;
  readonly useInCalibration: boolean;
}

export interface TeacherSlice {
  readonly teacher: TeacherState;
  patchTeacher(patch: Partial<TeacherState>): void;
  addTeacherJudgment(key: string, j: { score: number; reliability: number }, cached: boolean): void;
  addTeacherFailure(f: TeacherState['failed'][number]): void;
}

export const initialTeacher: TeacherState = { status: 'off', info: null, error: null, judgments: {}, failed: [], run: null, useInCalibration: true };

export const createTeacherSlice: SliceCreator<TeacherSlice> = (set) => ({
  teacher: initialTeacher,
  patchTeacher: (patch) => set((s) => ({ teacher: { ...s.teacher, ...patch } })),
  addTeacherJudgment: (key, j, cached) =>
    set((s) => ({
      teacher: {
        ...s.teacher,
        judgments: { ...s.teacher.judgments, [key]: { score: j.score, reliability: j.reliability } },
        run: s.teacher.run && { ...s.teacher.run, done: s.teacher.run.done + 1, cached: s.teacher.run.cached + (cached ? 1 : 0) },
      },
    })),
  addTeacherFailure: (f) =>
    set((s) => ({
      teacher: { ...s.teacher, failed: [...s.teacher.failed.filter((x) => x.key !== f.key), f], run: s.teacher.run && { ...s.teacher.run, done: s.teacher.run.done + 1 } },
    })),
});
