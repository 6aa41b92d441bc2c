// Classical, opinion-unaware quality signals (BRISQUE on OpenCV's LIVE model, NIQE on our pristine fit) as
// extra teachers: raw scores per image (cached, resumable), then PointJudgments on the 1..5 level scale.
//
// Mapping (no MOS anywhere): raw scores are "lower = better", so q = -raw is standardised within the set
// with median/MAD (robust to NIQE's long tail) and mapped through a fixed logistic onto 1..5:
//   score = 1 + 4 / (1 + exp(-LOGISTIC_SLOPE * z)).  Rank-preserving by construction; the set median is 3.
// Probabilities: a discretised Gaussian over the five levels, re-centred so its expectation is the score.
// Reliability (per image) = RELIABILITY_CAP x distinctiveness x agreement:
//   - RELIABILITY_CAP 0.5: NSS statistics are a weak, content-blind proxy of quality next to MLLM teachers.
//   - distinctiveness = 0.5 + 0.5 (1 - exp(-z^2 / 2)): a score in the dense middle of the set is one small
//     perturbation away from many rank swaps; one in the tails says more about order.
//   - agreement = exp(-(z_self - z_other)^2 / 8) when the other classical teacher scored the same image:
//     the two see different statistics (supervised LIVE SVR vs pristine-distance), so disagreement by
//     k robust SDs lowers trust smoothly (2 SD -> 0.61, 4 SD -> 0.14). 1 when there is no partner.
// A non-finite raw score (flat image) gives a uniform distribution with reliability 0.

import fs from 'node:fs';
import path from 'node:path';

import { LEVEL_VALUES, expectedScore, type LevelProbs, type PointJudgment } from '../../core/teacher/types.ts';
import { forEachPrefetched } from '../../core/prefetch.ts';
import { listImageFiles } from '../image-files.ts';
import { JsonlLog } from '../jsonl-log.ts';
import { progressReporter } from '../progress.ts';
import { sha256HexSync } from '../sha256.ts';
import { brisqueScore, defaultBrisqueDir, loadBrisqueModel } from './brisque.ts';
import { DEFAULT_NIQE_MODEL_FILE, niqeScore, niqeScorer } from './niqe.ts';
import { decodeGrey, greyToPlane, type Plane } from './nss-features.ts';

export const CLASSICAL_TEACHERS = ['brisque-live', 'niqe-pristine'] as const;
export type ClassicalTeacherId = (typeof CLASSICAL_TEACHERS)[number];

export const DEFAULT_CLASSICAL_CACHE_DIR = '.cache/classical';
/** The formats the classical teachers read (sharp decodes them to grey). */
export const CLASSICAL_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.webp'];
export const LOGISTIC_SLOPE = 1.2;
export const RELIABILITY_CAP = 0.5;
/** Width (in levels) of the soft distribution around the score. */
export const PROBS_WIDTH = 0.6;

/** One image's raw classical score. `raw` is NaN when the image has no usable statistics. */
export interface RawScore {
  readonly name: string;
  readonly sha256: string;
  readonly raw: number;
}

// ---------------------------------------------------------------------------------------------
// Raw scores -> PointJudgments

export interface JudgmentOptions {
  /** The other classical teacher's raw scores for (some of) the same images: enables the agreement term. */
  readonly partner?: readonly RawScore[];
  /** PointJudgment.image: the content hash (default, as the contract prefers) or the file name. */
  readonly keyBy?: 'sha256' | 'name';
}

/** Robust z-scores of q = -raw (higher = better); NaN stays NaN. */
export function robustZ(raw: readonly number[]): number[] {
  const q = raw.filter(Number.isFinite).map((v) => -v);
  if (q.length === 0) return raw.map(() => NaN);
  const med = median(q);
  let scale = 1.4826 * median(q.map((v) => Math.abs(v - med)));
  if (!(scale > 0)) scale = std(q) || 1;
  return raw.map((v) => (Number.isFinite(v) ? (-v - med) / scale : NaN));
}

function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function std(v: readonly number[]): number {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.length - 1));
}

/** Fixed logistic from a z-score onto (1, 5). */
export function zToScore(z: number): number {
  return 1 + 4 / (1 + Math.exp(-LOGISTIC_SLOPE * z));
}

/** Discretised Gaussian over the levels whose expected value equals `target` (bisection on its centre). */
export function softProbs(target: number, width = PROBS_WIDTH): LevelProbs {
  const at = (centre: number): LevelProbs => {
    const w = LEVEL_VALUES.map((v) => Math.exp(-((v - centre) ** 2) / (2 * width * width)));
    const total = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / total) as unknown as LevelProbs;
  };
  const t = Math.min(4.999, Math.max(1.001, target));
  let lo = -10;
  let hi = 16;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (expectedScore(at(mid)) < t) lo = mid;
    else hi = mid;
  }
  return at((lo + hi) / 2);
}

const UNIFORM: LevelProbs = [0.2, 0.2, 0.2, 0.2, 0.2];

/** Turns one teacher's raw scores over a set of images into PointJudgments (see the header for the mapping). */
export function judgmentsFromRawScores(teacher: ClassicalTeacherId, scores: readonly RawScore[], options: JudgmentOptions = {}): PointJudgment[] {
  const z = robustZ(scores.map((s) => s.raw));
  const partnerZ = new Map<string, number>();
  if (options.partner) {
    const pz = robustZ(options.partner.map((s) => s.raw));
    options.partner.forEach((s, i) => partnerZ.set(s.sha256, pz[i]!));
  }
  return scores.map((s, i) => {
    const image = options.keyBy === 'name' ? s.name : s.sha256;
    const zi = z[i]!;
    if (!Number.isFinite(zi)) return { image, probs: UNIFORM, score: 3, reliability: 0, teacher };
    const probs = softProbs(zToScore(zi));
    const distinct = 0.5 + 0.5 * (1 - Math.exp(-(zi * zi) / 2));
    const other = partnerZ.get(s.sha256);
    const agreement = other === undefined || !Number.isFinite(other) ? 1 : Math.exp(-((zi - other) ** 2) / 8);
    return { image, probs, score: expectedScore(probs), reliability: RELIABILITY_CAP * distinct * agreement, teacher };
  });
}

// ---------------------------------------------------------------------------------------------
// Resumable raw-score cache: .cache/classical/<teacher>.jsonl

interface CacheLine {
  readonly name: string;
  readonly sha256: string;
  /** null for a non-finite score (JSON has no NaN). */
  readonly raw: number | null;
  /** Fingerprint of the model that produced it: lines from another model version are ignored. */
  readonly model: string;
}

export class ClassicalScoreCache {
  private readonly entries = new Map<string, RawScore>();

  private constructor(
    private readonly log: JsonlLog<CacheLine>,
    readonly model: string,
    /** Lines that could not be parsed (a torn last line after a crash) or came from another model. */
    readonly skippedLines: number,
  ) {}

  get file(): string {
    return this.log.file;
  }

  static open(teacher: ClassicalTeacherId, model: string, dir: string = DEFAULT_CLASSICAL_CACHE_DIR): ClassicalScoreCache {
    const { log, records, skipped } = JsonlLog.open(path.join(dir, `${teacher}.jsonl`), (v) => {
      const line = readCacheLine(v);
      return line?.model === model ? line : undefined;
    });
    const cache = new ClassicalScoreCache(log, model, skipped);
    for (const r of records) cache.entries.set(keyOf(r.name, r.sha256), { name: r.name, sha256: r.sha256, raw: r.raw ?? NaN });
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }

  get(name: string, sha256: string): RawScore | undefined {
    return this.entries.get(keyOf(name, sha256));
  }

  put(score: RawScore): void {
    this.log.append({ name: score.name, sha256: score.sha256, raw: Number.isFinite(score.raw) ? score.raw : null, model: this.model });
    this.entries.set(keyOf(score.name, score.sha256), score);
  }
}

function keyOf(name: string, sha256: string): string {
  return `${name}\u0000${sha256}`;
}

function readCacheLine(value: unknown): CacheLine | undefined {
  const v = value as Partial<CacheLine> | null;
  if (typeof v?.name !== 'string' || typeof v.sha256 !== 'string' || typeof v.model !== 'string') return undefined;
  if (v.raw !== null && !Number.isFinite(v.raw)) return undefined;
  return v as CacheLine;
}

// ---------------------------------------------------------------------------------------------
// Scoring images

type PlaneScorer = (img: Plane) => number;

interface LoadedTeacher {
  readonly id: ClassicalTeacherId;
  readonly fingerprint: string;
  readonly score: PlaneScorer;
}

function loadTeacher(id: ClassicalTeacherId): LoadedTeacher {
  if (id === 'brisque-live') {
    const dir = defaultBrisqueDir();
    const model = loadBrisqueModel(dir);
    const files = ['brisque_model_live.yml', 'brisque_range_live.yml'].map((f) => fs.readFileSync(path.join(dir, f)));
    return { id, fingerprint: `brisque-opencv-v1:${sha256HexSync(Buffer.concat(files)).slice(0, 16)}`, score: (p) => brisqueScore(model, p) };
  }
  const scorer = niqeScorer();
  const text = fs.readFileSync(DEFAULT_NIQE_MODEL_FILE);
  return { id, fingerprint: `niqe-v1:${sha256HexSync(text).slice(0, 16)}`, score: (p) => niqeScore(scorer, p) };
}

export interface ClassicalRawScoresOptions {
  readonly teachers?: readonly ClassicalTeacherId[];
  readonly cacheDir?: string;
  /** Called after each image (cached or computed). */
  readonly onProgress?: (done: number, total: number, file: string) => void;
}

/**
 * Raw scores of every teacher for `files` (paths), using and extending the JSONL caches: a rerun after a
 * crash recomputes only what is missing. Cache keys are file name + sha256 of the file's bytes.
 */
export async function classicalRawScores(files: readonly string[], options: ClassicalRawScoresOptions = {}): Promise<Record<ClassicalTeacherId, RawScore[]>> {
  const ids = options.teachers ?? CLASSICAL_TEACHERS;
  const loaded = ids.map(loadTeacher);
  const caches = loaded.map((t) => ClassicalScoreCache.open(t.id, t.fingerprint, options.cacheDir));
  // Teachers not asked for come back with empty lists.
  const out = Object.fromEntries(CLASSICAL_TEACHERS.map((id) => [id, [] as RawScore[]])) as unknown as Record<ClassicalTeacherId, RawScore[]>;
  const read = (file: string) => fs.promises.readFile(file).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.length));
  // Overlap the next file's read with this one's compute.
  await forEachPrefetched(files, read, async (bytes, file, i) => {
    const name = path.basename(file);
    const sha256 = sha256HexSync(bytes);
    const missing = loaded.filter((_, t) => !caches[t]!.get(name, sha256));
    let plane: Plane | undefined;
    if (missing.length > 0) {
      const g = await decodeGrey(bytes);
      plane = greyToPlane(g.data, g.width, g.height);
    }
    loaded.forEach((t, k) => {
      let s = caches[k]!.get(name, sha256);
      if (!s) {
        s = { name, sha256, raw: t.score(plane!) };
        caches[k]!.put(s);
      }
      out[t.id].push(s);
    });
    options.onProgress?.(i + 1, files.length, file);
  });
  return out;
}

/**
 * PointJudgments of both classical teachers for `files` (the set that is standardised together), each
 * using the other as its agreement partner.
 */
export async function classicalJudgments(files: readonly string[], options: Omit<ClassicalRawScoresOptions, 'teachers'> & Pick<JudgmentOptions, 'keyBy'> = {}): Promise<Record<ClassicalTeacherId, PointJudgment[]>> {
  const raw = await classicalRawScores(files, options);
  return {
    'brisque-live': judgmentsFromRawScores('brisque-live', raw['brisque-live'], { partner: raw['niqe-pristine'], keyBy: options.keyBy }),
    'niqe-pristine': judgmentsFromRawScores('niqe-pristine', raw['niqe-pristine'], { partner: raw['brisque-live'], keyBy: options.keyBy }),
  };
}

/** Convenience: classicalJudgments over every image of a folder, with progress on stderr. */
export async function classicalJudgmentsForFolder(dir: string, options: Omit<ClassicalRawScoresOptions, 'teachers'> & Pick<JudgmentOptions, 'keyBy'> = {}): Promise<Record<ClassicalTeacherId, PointJudgment[]>> {
  const files = listImageFiles(dir, { extensions: CLASSICAL_EXTENSIONS });
  return classicalJudgments(files, { onProgress: progressReporter(dir), ...options });
}
