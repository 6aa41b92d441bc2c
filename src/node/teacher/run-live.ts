// Runs a teacher (the live one, or any other such as the local one) over a list of image files: point
// judgments for every file, optional pair judgments, through the resumable cache. One bad file or one
// bad reply never stops the run.

import { mulberry32 } from '../../core/distill/random.ts';
import fs from 'node:fs/promises';
import path from 'node:path';

import type { PairJudgment, PointJudgment, Teacher, TeacherImage } from '../../core/teacher/types.ts';
import { mimeForPath } from '../image-files.ts';
import { sha256HexSync } from '../sha256.ts';
import { DEFAULT_CACHE_DIR, JudgmentCache, withCache, type PromptedTeacher } from './judgment-cache.ts';
import { LiveMllmTeacher, type LiveTeacherConfig } from './live-client.ts';
import { inShard, type Shard } from './shard.ts';

/** 'adjacent': (1st, 2nd), (2nd, 3rd), ...; a number: that many seeded random distinct pairs. */
export type PairPlan = 'none' | 'adjacent' | number;

export interface RunTeacherOptions {
  readonly images: readonly string[];
  readonly pairs?: PairPlan;
  /** Defaults to .cache/teacher; null runs without a cache. */
  readonly cacheDir?: string | null;
  /** Jobs (files or pairs) in progress at once; defaults to 1. */
  readonly concurrency?: number;
  /** Seed for random pairs. */
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number, failed: number) => void;
  /** This machine's share of the images, by content hash (`--shard i/n`); point judgments only. */
  readonly shard?: Shard;
}

export interface RunLiveOptions extends RunTeacherOptions {
  readonly config: LiveTeacherConfig;
  /** Jobs (files or pairs) in progress at once; defaults to config.concurrency. */
  readonly concurrency?: number;
}

export interface RunFailure {
  /** The file, or both files of a pair. */
  readonly files: readonly string[];
  /** TeacherReplyError code, a file-system error code such as ENOENT, or 'error'. */
  readonly code: string;
  readonly message: string;
}

export interface RunLiveResult {
  readonly teacher: string;
  /** Every file that could be read, with its content key (the key judgments refer to). */
  readonly images: readonly { readonly file: string; readonly key: string }[];
  /** One per distinct image content. */
  readonly points: readonly PointJudgment[];
  readonly pairs: readonly PairJudgment[];
  readonly failures: readonly RunFailure[];
  /** Files left to the other shards of a `--shard` run. */
  readonly otherShard?: number;
}

export function runLiveTeacher(options: RunLiveOptions): Promise<RunLiveResult> {
  return runTeacher(new LiveMllmTeacher(options.config), { ...options, concurrency: options.concurrency ?? options.config.concurrency });
}

export async function runTeacher(inner: PromptedTeacher, options: RunTeacherOptions): Promise<RunLiveResult> {
  const { images: files, signal } = options;
  const cacheDir = options.cacheDir === undefined ? DEFAULT_CACHE_DIR : options.cacheDir;
  const teacher: Teacher = cacheDir === null ? inner : withCache(inner, JudgmentCache.open(cacheDir));

  if (options.shard && options.shard.count > 1 && (options.pairs ?? 'none') !== 'none') {
    throw new Error('--shard splits point judgments by image; pairs span shards: run pairs after `leaf teacher merge`, or leave --pairs out');
  }
  const pairPlan = planPairs(files.length, options.pairs ?? 'none', options.seed ?? 1);
  let otherShard = 0;
  const total = files.length + pairPlan.length;
  let done = 0;
  let failed = 0;
  const failures: { job: number; failure: RunFailure }[] = [];
  const keys = new Map<string, string>(); // file -> content key
  const judged = new Map<string, PointJudgment>(); // file -> judgment
  const pairs: (PairJudgment | undefined)[] = pairPlan.map(() => undefined);

  const settle = async (job: number, involved: readonly string[], work: () => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      failed++;
      failures.push({ job, failure: { files: involved, ...describe(err) } });
    }
    done++;
    options.onProgress?.(done, total, failed);
  };

  const jobs: (() => Promise<void>)[] = [
    ...files.map((file, n) => () =>
      settle(n, [file], async () => {
        const image = await readImage(file);
        if (!inShard(image.key, options.shard)) return void otherShard++;
        keys.set(file, image.key);
        judged.set(file, await teacher.judgePoint(image, signal));
      }),
    ),
    ...pairPlan.map(([i, j], n) => () =>
      settle(files.length + n, [files[i]!, files[j]!], async () => {
        if (!teacher.judgePair) throw new Error(`teacher ${teacher.id} cannot judge pairs`);
        const [a, b] = await Promise.all([readImage(files[i]!), readImage(files[j]!)]);
        pairs[n] = await teacher.judgePair(a, b, signal);
      }),
    ),
  ];

  options.onProgress?.(0, total, 0);
  await runPool(jobs, options.concurrency ?? 1, signal);

  // Output in input order (not completion order), one point per distinct content, so reruns are identical.
  const points = new Map<string, PointJudgment>();
  for (const file of files) {
    const j = judged.get(file);
    if (j && !points.has(j.image)) points.set(j.image, j);
  }
  return {
    teacher: teacher.id,
    images: files.filter((f) => keys.has(f)).map((file) => ({ file, key: keys.get(file)! })),
    points: [...points.values()],
    pairs: pairs.filter((p): p is PairJudgment => p !== undefined),
    failures: failures.sort((x, y) => x.job - y.job).map((f) => f.failure),
    ...(options.shard ? { otherShard } : {}),
  };
}

export async function readImage(file: string): Promise<TeacherImage> {
  const mime = mimeForPath(file);
  if (!mime) throw Object.assign(new Error(`${file} is not a supported image type`), { code: 'unsupported-type' });
  const bytes = new Uint8Array(await fs.readFile(file));
  return { key: sha256HexSync(bytes), name: path.basename(file), bytes, mime };
}

function describe(err: unknown): { code: string; message: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'error', message: err.message };
  }
  return { code: 'error', message: String(err) };
}

/** Runs jobs with at most `limit` at once; stops taking new jobs once `signal` aborts. */
async function runPool(jobs: readonly (() => Promise<void>)[], limit: number, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      signal?.throwIfAborted();
      await jobs[next++]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
}

/** Index pairs [i, j] into a list of n images, following `plan`; deterministic for a given seed. */
export function planPairs(n: number, plan: PairPlan, seed: number): [number, number][] {
  if (plan === 'none' || n < 2) return [];
  if (plan === 'adjacent') return Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]);
  if (!Number.isInteger(plan) || plan < 0) throw new Error(`pair count must be a non-negative integer, got ${plan}`);
  const rand = mulberry32(seed);
  const possible = (n * (n - 1)) / 2;
  const count = Math.min(plan, possible);
  let unordered: [number, number][];
  if (count * 2 >= possible) {
    // Dense: enumerate every pair and keep a random prefix (partial Fisher-Yates).
    unordered = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) unordered.push([i, j]);
    for (let k = 0; k < count; k++) {
      const r = k + Math.floor(rand() * (unordered.length - k));
      [unordered[k], unordered[r]] = [unordered[r]!, unordered[k]!];
    }
    unordered.length = count;
  } else {
    // Sparse: rejection sampling stays cheap while at most half of all pairs are taken.
    const seen = new Set<number>();
    unordered = [];
    while (unordered.length < count) {
      const i = Math.floor(rand() * n);
      const j = Math.floor(rand() * n);
      if (i === j) continue;
      const [lo, hi] = i < j ? [i, j] : [j, i];
      if (seen.has(lo * n + hi)) continue;
      seen.add(lo * n + hi);
      unordered.push([lo, hi]);
    }
  }
  // Random orientation, so "a" is not always the earlier file.
  return unordered.map(([i, j]) => (rand() < 0.5 ? [i, j] : [j, i]));
}

/** Re-exported for callers that planned pairs with it here. */
export { mulberry32 };
