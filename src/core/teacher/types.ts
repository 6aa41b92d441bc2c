// The teacher contract shared by every source of MLLM judgments (recorded files, a live server, derived pairs).
// Scores use the Q-Align convention: levels excellent..bad map to 5..1.

export const LEVELS = ['excellent', 'good', 'fair', 'poor', 'bad'] as const;
export type Level = (typeof LEVELS)[number];
/** Numeric value of each level, in LEVELS order. */
export const LEVEL_VALUES = [5, 4, 3, 2, 1] as const;

/** Probabilities over LEVELS (excellent first); sums to 1. */
export type LevelProbs = readonly [number, number, number, number, number];

/** A point-wise judgment of one image. */
export interface PointJudgment {
  /** Key of the image: its content hash (sha256 hex) where known, else its file name. */
  readonly image: string;
  readonly probs: LevelProbs;
  /** Expected level value, sum p_i * LEVEL_VALUES[i], in [1, 5]. */
  readonly score: number;
  /** 0 (worthless) .. 1 (fully trusted). */
  readonly reliability: number;
  /** Teacher id(s) that produced it, e.g. "qwen2-vl-7b-instruct" or "ensemble(a,b)". */
  readonly teacher: string;
}

/** A pair-wise preference: probability that image `a` has better quality than image `b`. */
export interface PairJudgment {
  readonly a: string;
  readonly b: string;
  readonly pAB: number;
  readonly reliability: number;
  readonly teacher: string;
}

/** An image as teachers see it: a stable key plus its encoded bytes. */
export interface TeacherImage {
  readonly key: string;
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly mime: string;
}

export interface Teacher {
  readonly id: string;
  judgePoint(image: TeacherImage, signal?: AbortSignal): Promise<PointJudgment>;
  judgePair?(a: TeacherImage, b: TeacherImage, signal?: AbortSignal): Promise<PairJudgment>;
}

export function expectedScore(probs: LevelProbs): number {
  let s = 0;
  for (let i = 0; i < LEVELS.length; i++) s += probs[i]! * LEVEL_VALUES[i]!;
  return s;
}

/** Softmax over level logits (or log-probabilities), numerically stable. */
export function softmaxLevels(logits: readonly number[]): LevelProbs {
  if (logits.length !== LEVELS.length || logits.some((v) => !Number.isFinite(v))) {
    throw new Error(`expected ${LEVELS.length} finite level logits, got [${logits.join(', ')}]`);
  }
  const max = Math.max(...logits);
  const exps = logits.map((v) => Math.exp(v - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total) as unknown as LevelProbs;
}

/** Reliability of one distribution: 1 - normalised entropy (a peaked teacher is more confident). */
export function confidenceOf(probs: LevelProbs): number {
  let h = 0;
  for (const p of probs) if (p > 0) h -= p * Math.log(p);
  return 1 - h / Math.log(LEVELS.length);
}

/** Optional on a teacher: the text of its prompts, so a prompt change misses the cache. */
export interface PromptedTeacher extends Teacher {
  readonly prompts?: { readonly point?: string; readonly pair?: string };
  /**
   * Where a teacher's pair judgment is a function of its two point judgments, the cached teacher derives
   * pairs from (cached) points: nothing is asked again, and nothing extra is stored.
   */
  pairFromPoints?(a: PointJudgment, b: PointJudgment): PairJudgment;
}
