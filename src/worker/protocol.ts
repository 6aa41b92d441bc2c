// The one message contract between the app and the inference worker. Every request carries an `id`; every
// event names the request it belongs to. Image files travel as Blobs (structured clone shares the bytes),
// thumbnails come back as small JPEG Blobs, and features stay inside the worker (calibration reads them there).
import type { TeacherLabel } from '../core/calibration/teacher-labels.ts';
import type { SessionResult } from '../core/calibration/fit-session.ts';
import type { SerialisedHead } from '../core/calibration/profile.ts';
import type { PatchBox } from '../core/model/detail-patches.ts';
import type { ScoreMode } from '../core/model/score-mode.ts';
import type { ImageError } from '../core/image/image-error.ts';
import type { LevelProbs } from '../core/teacher/types.ts';
import type { MeasuredReason } from '../core/image/measured-reasons.ts';
import type { QualityMap } from '../core/model/student.ts';

export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

/** Backends that compute on the worker's own thread: more workers use more cores, and batches pay there. */
export function isCpuBackend(name: BackendName): boolean {
  return name === 'wasm' || name === 'cpu';
}

export interface BackendReport {
  readonly backend: BackendName;
  /** True when `?backend=` asked for it. */
  readonly forced: boolean;
  /** One sentence a person can read: why this backend runs. */
  readonly reason: string;
  /** Faster backends passed over, each with why (e.g. "WebGPU unavailable: software adapter (swiftshader)"). */
  readonly skipped: readonly { readonly backend: BackendName; readonly reason: string }[];
  /** Detail such as "SIMD" for wasm or the adapter description for WebGPU. */
  readonly detail: string;
}

export interface ModelInfo {
  readonly name: string;
  readonly version: string;
  readonly output: { readonly name: string; readonly min: number; readonly max: number; readonly description: string };
  readonly defaultMode: ScoreMode;
  readonly bytes: number;
}

/**
 * What the browser knows of a file without reading it. A page that has it at hand (a file from a folder
 * handle) sends this for a store lookup instead of the File: posting a File clones its blob, a browser
 * round trip per file.
 */
export interface FileIdentity {
  readonly name: string;
  readonly size: number;
  readonly lastModified: number;
}

export interface ImageJob {
  readonly imageId: string;
  /** The file; a store-only request may carry only its identity (name, size, date), which is all a lookup reads. */
  readonly file: Blob | FileIdentity;
  /** Where the page found the file (folder-relative, e.g. "shoot/IMG_0001.jpg"); keys its stored score. */
  readonly path?: string;
}

/** A folder's file as the score store last scored it: the path, size and date it was stored under, and its result. */
export interface KeptFile {
  readonly path: string;
  readonly size: number;
  readonly lastModified: number;
  readonly result: ImageResult;
}

export interface ImageResult {
  /** sha256 of the file's bytes, hashed here once: ratings and caches key images by content, not by name. */
  readonly contentKey: string;
  /** Student score on the model's scale (manifest.output). */
  readonly score: number;
  readonly probs: LevelProbs;
  readonly mode: ScoreMode;
  /** Size after EXIF orientation, as the model saw it before its own resize. */
  readonly width: number;
  readonly height: number;
  /** Original size when the decoder had to downscale (longest side above MAX_DECODE_SIDE). */
  readonly downscaledFrom: { readonly width: number; readonly height: number } | null;
  readonly format: string;
  readonly thumb: Blob | null;
  /** No thumbnail sent, but one is in the score store under contentKey (shared/score-db.ts): read when shown. */
  readonly thumbInStore: boolean;
  /** 1:1 detail patches blended into the score, in the decoded image's pixels (empty: seen whole only). */
  readonly patches: readonly PatchBox[];
  /** Worker time per stage (ms); zeros when the score came from the store. */
  readonly ms: StageTimes;
  /** EXIF capture time (camera clock read as UTC, ms), null when the file records none. */
  readonly capturedAt: number | null;
  /** Content embedding for grouping bursts, packed (see packEmbedding in core/culling/bursts.ts). */
  readonly embedding: string;
  /** The backend that computed the score (an earlier session's, when it came from the score store). */
  readonly backend: BackendName;
  /** True when the score came from this browser's score store (scored in an earlier session), not the model. */
  readonly cached: boolean;
}

/**
 * Stages of scoring one image in the worker, in order. 'read+hash' (reading the file and hashing its bytes)
 * runs while the browser decodes, so it overlaps 'decode'; the rest follow one another.
 */
export const WORKER_STAGES = ['read+hash', 'decode', 'pixels', 'thumbnail', 'resize', 'backbone', 'head'] as const;
export type WorkerStage = (typeof WORKER_STAGES)[number];
export type StageTimes = Readonly<Record<WorkerStage, number>>;
export const NO_STAGE_TIMES: StageTimes = { 'read+hash': 0, decode: 0, pixels: 0, thumbnail: 0, resize: 0, backbone: 0, head: 0 };

export type { ImageError, ImageErrorCode } from '../core/image/image-error.ts';

export interface WorkerMemory {
  readonly numTensors: number;
  readonly numBytes: number;
  /** Size of the wasm backend's linear memory (null on other backends). */
  readonly wasmHeapBytes: number | null;
  /** JS heap of the worker where the browser exposes it (Chromium's performance.memory). */
  readonly jsHeapBytes: number | null;
  /** Cached feature vectors kept for calibration. */
  readonly featureCount: number;
  readonly featureBytes: number;
}

/**
 * Files the worker looks up in the score store per read transaction (large enough to be fast, small enough
 * to stay light); the page sends a store-only request no more than this.
 */
export const STORE_LOOKUP_FILES = 200;

export type WorkerRequest =
  | { readonly type: 'init'; readonly id: number; readonly modelUrl: string; readonly backend: BackendName | null }
  | {
      readonly type: 'score';
      readonly id: number;
      readonly mode: ScoreMode;
      readonly jobs: readonly ImageJob[];
      readonly thumbSize: number;
      /** Answer from the score store only; files it does not hold come back in 'not-stored' (the page balances model work). */
      readonly storeOnly?: boolean;
    }
  /** The scores kept for a folder's files (paths under `folder`), without the files: a reopened folder shows them at once. */
  | { readonly type: 'kept'; readonly id: number; readonly mode: ScoreMode; readonly folder: string }
  | { readonly type: 'cancel'; readonly id: number; readonly target: number }
  /** Pause before the next image for `ms` (the user is stepping through images: the page needs a core). */
  | { readonly type: 'hold'; readonly id: number; readonly ms: number }
  | { readonly type: 'forget'; readonly id: number; readonly imageIds: readonly string[] | 'all' }
  | { readonly type: 'memory'; readonly id: number }
  | { readonly type: 'features'; readonly id: number; readonly images: readonly FeatureRef[] }
  | { readonly type: 'test-fault'; readonly id: number; readonly fault: TestFault }
  /** Why a score: the quality map of one file and the reasons measured on it. */
  | { readonly type: 'explain'; readonly id: number; readonly file: Blob }
  /** Pool: the primary worker (where calibration runs) hears a secondary worker's features on this port. */
  | { readonly type: 'peer'; readonly id: number; readonly port: PortLike }
  /** Pool: a secondary worker passes its features to the primary on this port instead of keeping them. */
  | { readonly type: 'feature-sink'; readonly id: number; readonly port: PortLike }
  | CalibrateRequest;

/** A MessagePort, written out because this contract is also compiled without the DOM's types. */
export interface PortLike {
  postMessage(message: unknown): void;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  close(): void;
}

/** From a secondary worker to the primary: features it computed, or where the store keeps them. */
export type PeerMessage = { readonly type: 'features'; readonly imageId: string; readonly mode: ScoreMode; readonly features: Float32Array };

/** Where a scored image's features are found: the worker's recent rows, else the score store by content and mode. */
export interface FeatureRef {
  readonly imageId: string;
  readonly contentKey: string;
  readonly mode: ScoreMode;
}

/** A scored image as calibration sees it: the page holds this for every image, so the worker keeps nothing per image. */
export interface CalibrationImage extends FeatureRef {
  /** The student's score (the page's copy of what the worker sent). */
  readonly score: number;
}

/**
 * Test builds only: what the worker does on its next image, so e2e tests can show the main thread's watchdog
 * at work. 'hang' busy-loops forever (synchronous code that never returns), 'crash' throws an uncaught
 * error (an error event on the main thread), 'exit' closes the worker without a word (as an out-of-memory kill).
 */
export type TestFault = 'hang' | 'crash' | 'exit';

/** Refit the calibration head on these ratings (issue #4); a newer calibrate request supersedes this one. */
export interface CalibrateRequest {
  readonly type: 'calibrate';
  readonly id: number;
  /** Every scored image the calibrated values are for. */
  readonly images: readonly CalibrationImage[];
  /** Ratings of images among `images` (others are ignored). */
  readonly ratings: readonly { readonly imageId: string; readonly rater: string; readonly value: number }[];
  readonly range: { readonly min: number; readonly max: number };
  /** Applied as is when `ratings` is empty (an imported profile whose rated images are not loaded). */
  readonly storedHead: SerialisedHead | null;
  /** A local teacher's judgments of images, used beside the ratings where they help (Teach on my photos). */
  readonly teacher?: readonly TeacherLabel[];
}

export interface FeatureEntry {
  readonly imageId: string;
  readonly mode: ScoreMode;
  /** A copy of the cached vector, transferred. */
  readonly features: Float32Array;
}

export type InitStage = 'backend' | 'model' | 'warm-up';

export type WorkerEvent =
  | { readonly type: 'init-progress'; readonly id: number; readonly stage: InitStage }
  | {
      readonly type: 'ready';
      readonly id: number;
      readonly backend: BackendReport;
      readonly model: ModelInfo;
      /** warmUpMs: the warm-up run before ready (GPU backends); CPU backends warm up on the first image or when idle (0). */
      readonly timings: { readonly backendMs: number; readonly loadMs: number; readonly warmUpMs: number };
    }
  | ScoredEvent
  | { readonly type: 'image-failed'; readonly id: number; readonly imageId: string; readonly error: ImageError }
  /** A store-only request's files that have no stored score in its mode: not scored here. */
  | { readonly type: 'not-stored'; readonly id: number; readonly imageIds: readonly string[] }
  /** A request that may run the model found files the store does not hold, before running it (the page grows its pool). */
  | { readonly type: 'model-work'; readonly id: number }
  /** Several events of one request in one message (a chunk of stored scores): a message costs the page more than its content. */
  | { readonly type: 'batch'; readonly id: number; readonly events: readonly ScoredEvent[] }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly cancelled: boolean;
      readonly scored: number;
      readonly failed: number;
      /** Why scores are not being stored for next time (the browser refused IndexedDB, or it is full); null when they are. */
      readonly storeOff: string | null;
    }
  | { readonly type: 'kept'; readonly id: number; readonly files: readonly KeptFile[] }
  | { readonly type: 'forgotten'; readonly id: number; readonly count: number }
  | { readonly type: 'memory'; readonly id: number; readonly memory: WorkerMemory }
  | { readonly type: 'features'; readonly id: number; readonly entries: readonly FeatureEntry[] }
  | { readonly type: 'test-fault-armed'; readonly id: number }
  | { readonly type: 'explained'; readonly id: number; readonly explanation: Explanation }
  | { readonly type: 'calibrated'; readonly id: number; readonly result: SessionResult | null; readonly superseded: boolean }
  | { readonly type: 'failed'; readonly id: number; readonly error: { readonly code: string; readonly message: string } };

export interface Explanation {
  readonly map: QualityMap;
  readonly reasons: readonly MeasuredReason[];
}

export type ReadyEvent = Extract<WorkerEvent, { type: 'ready' }>;
export interface ScoredEvent {
  readonly type: 'scored';
  readonly id: number;
  readonly imageId: string;
  readonly result: ImageResult;
}
export type DoneEvent = Extract<WorkerEvent, { type: 'done' }>;
