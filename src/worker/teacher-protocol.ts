// The message contract between the page and the teacher worker ("Teach on my photos"): a local model
// folder the user picked is loaded there with Transformers.js, and judges the user's images one at a time.
// Off by default: the worker (and its ~27 MB ONNX runtime) starts only when the user loads a model.
import type { LevelProbs } from '../core/teacher/types.ts';
import type { LocalKind } from '../core/teacher/local/model-folder.ts';

/** One file of the picked folder, by its path inside the folder (e.g. "onnx/model.onnx"). */
export interface FolderFile {
  readonly path: string;
  readonly file: File;
}

export type TeacherDevice = 'webgpu' | 'wasm';

export interface TeacherImageRequest {
  /** Content key (sha256 of the file's bytes), as the scoring worker reported it. */
  readonly key: string;
  readonly name: string;
  readonly file: File;
}

export type TeacherRequest =
  | { readonly type: 'load'; readonly folderName: string; readonly files: readonly FolderFile[]; readonly device: TeacherDevice }
  | { readonly type: 'judge'; readonly images: readonly TeacherImageRequest[] }
  | { readonly type: 'stop' };

export interface TeacherJudgment {
  readonly key: string;
  readonly score: number;
  readonly reliability: number;
  readonly probs: LevelProbs;
}

export type TeacherEvent =
  | { readonly type: 'loaded'; readonly id: string; readonly kind: LocalKind; readonly dtype: string; readonly device: TeacherDevice; readonly ms: number }
  | { readonly type: 'load-failed'; readonly code: string; readonly message: string }
  | { readonly type: 'judged'; readonly judgment: TeacherJudgment; readonly cached: boolean }
  | { readonly type: 'judge-failed'; readonly key: string; readonly name: string; readonly message: string }
  | { readonly type: 'judge-done'; readonly stopped: boolean };
