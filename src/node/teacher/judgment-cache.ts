// A resumable on-disk cache of teacher judgments: append-only JSONL, one line per completed request,
// so a crash loses at most the requests in flight and a rerun re-queries nothing already answered.

import fs from 'node:fs';
import path from 'node:path';

import type { PairJudgment, PointJudgment, PromptedTeacher, Teacher, TeacherImage } from '../../core/teacher/types.ts';

export type { PromptedTeacher };
import { JsonlLog } from '../jsonl-log.ts';
import { sha256HexSync } from '../sha256.ts';

export const DEFAULT_CACHE_DIR = '.cache/teacher';
const CACHE_FILE = 'judgments.jsonl';

/** What a cache line stores: the judgment without its image keys, which belong to the caller. */
export type CachedPoint = Omit<PointJudgment, 'image'>;
export type CachedPair = Omit<PairJudgment, 'a' | 'b'>;
type Entry = { readonly point: CachedPoint } | { readonly pair: CachedPair };

export function pointCacheKey(model: string, promptHash: string, imageHash: string): string {
  return `point:${model}:${promptHash}:${imageHash}`;
}

/** Order matters: (a, b) and (b, a) are different questions. */
export function pairCacheKey(model: string, promptHash: string, aHash: string, bHash: string): string {
  return `pair:${model}:${promptHash}:${aHash}:${bHash}`;
}

export class JudgmentCache {
  private readonly entries = new Map<string, Entry>();

  private constructor(
    private readonly log: JsonlLog<Line>,
    /** Lines that could not be read (a crash mid-write leaves a truncated last line). */
    readonly skippedLines: number,
  ) {}

  get file(): string {
    return this.log.file;
  }

  /** Opens (creating if needed) the cache in `dir`, loading every *.jsonl file there. */
  static open(dir: string = DEFAULT_CACHE_DIR): JudgmentCache {
    fs.mkdirSync(dir, { recursive: true });
    const others = fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(dir, f));
    const { log, records, skipped } = JsonlLog.open(path.join(dir, CACHE_FILE), readLine, others);
    const cache = new JudgmentCache(log, skipped);
    for (const { key, ...entry } of records) cache.entries.set(key, entry as Entry);
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }

  getPoint(key: string): CachedPoint | undefined {
    const e = this.entries.get(key);
    return e && 'point' in e ? e.point : undefined;
  }

  getPair(key: string): CachedPair | undefined {
    const e = this.entries.get(key);
    return e && 'pair' in e ? e.pair : undefined;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Every cached judgment, as (key, line) pairs (what `leaf teacher merge` copies). */
  *lines(): Iterable<Line> {
    for (const [key, entry] of this.entries) yield { key, ...entry };
  }

  /** Appends a line read from another cache (merge); false when this cache already has its key. */
  putLine(line: Line): boolean {
    if (this.entries.has(line.key)) return false;
    const { key, ...entry } = line;
    this.append(key, entry as Entry);
    return true;
  }

  putPoint(key: string, point: CachedPoint): void {
    this.append(key, { point });
  }

  putPair(key: string, pair: CachedPair): void {
    this.append(key, { pair });
  }

  private append(key: string, entry: Entry): void {
    // A synchronous append per line: the line is in the OS before the judgment is handed on.
    this.log.append({ key, ...entry });
    this.entries.set(key, entry);
  }
}

export type Line = { readonly key: string } & Entry;

function readLine(raw: unknown): Line | undefined {
  const value = raw as { key?: unknown; point?: Partial<CachedPoint>; pair?: Partial<CachedPair> } | null;
  if (typeof value?.key !== 'string') return undefined;
  const { point, pair } = value;
  if (
    point &&
    Array.isArray(point.probs) &&
    point.probs.length === 5 &&
    point.probs.every(Number.isFinite) &&
    Number.isFinite(point.score) &&
    Number.isFinite(point.reliability) &&
    typeof point.teacher === 'string'
  ) {
    return { key: value.key, point: point as CachedPoint };
  }
  if (pair && Number.isFinite(pair.pAB) && Number.isFinite(pair.reliability) && typeof pair.teacher === 'string') {
    return { key: value.key, pair: pair as CachedPair };
  }
  return undefined;
}


/**
 * A Teacher that answers from `cache` when it can and records every fresh answer. Keys are
 * sha256(image bytes) + teacher id (the model) + sha256(prompt text). Identical requests in
 * flight at the same time share one call. Failures are not cached, so a rerun retries them.
 */
export function withCache(teacher: PromptedTeacher, cache: JudgmentCache): Teacher {
  const pointPrompt = sha256HexSync(teacher.prompts?.point ?? '');
  const pairPrompt = sha256HexSync(teacher.prompts?.pair ?? '');
  const hashes = new WeakMap<Uint8Array, string>();
  const hashOf = (image: TeacherImage) => {
    let h = hashes.get(image.bytes);
    if (h === undefined) hashes.set(image.bytes, (h = sha256HexSync(image.bytes)));
    return h;
  };
  const inFlight = new Map<string, Promise<unknown>>();
  const shared = <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const pending = inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const p = run().finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  };

  const judgePoint = async (image: TeacherImage, signal?: AbortSignal): Promise<PointJudgment> => {
    const key = pointCacheKey(teacher.id, pointPrompt, hashOf(image));
    const hit = cache.getPoint(key);
    if (hit) return { image: image.key, ...hit };
    const fresh = await shared(key, async () => {
      const j = await teacher.judgePoint(image, signal);
      cache.putPoint(key, { probs: j.probs, score: j.score, reliability: j.reliability, teacher: j.teacher });
      return j;
    });
    return { ...fresh, image: image.key };
  };

  const derive = teacher.pairFromPoints?.bind(teacher);
  if (derive) {
    const derivedPair = async (a: TeacherImage, b: TeacherImage, signal?: AbortSignal): Promise<PairJudgment> => {
      const [ja, jb] = await Promise.all([judgePoint(a, signal), judgePoint(b, signal)]);
      return derive(ja, jb);
    };
    return { id: teacher.id, judgePoint, judgePair: derivedPair };
  }
  const innerPair = teacher.judgePair?.bind(teacher);
  if (!innerPair) return { id: teacher.id, judgePoint };

  const judgePair = async (a: TeacherImage, b: TeacherImage, signal?: AbortSignal): Promise<PairJudgment> => {
    const key = pairCacheKey(teacher.id, pairPrompt, hashOf(a), hashOf(b));
    const hit = cache.getPair(key);
    if (hit) return { a: a.key, b: b.key, ...hit };
    const fresh = await shared(key, async () => {
      const j = await innerPair(a, b, signal);
      cache.putPair(key, { pAB: j.pAB, reliability: j.reliability, teacher: j.teacher });
      return j;
    });
    return { ...fresh, a: a.key, b: b.key };
  };
  return { id: teacher.id, judgePoint, judgePair };
}
