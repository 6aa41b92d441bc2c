// Teacher runs on batch engines that already scale (vLLM's run_batch, Ray Data LLM pipelines, hosted batch
// APIs): `leaf teacher export-batch` writes the live teacher's point question for every distinct image
// content not yet in the cache as one OpenAI Batch API request line; `leaf teacher import-batch` reads the
// engine's output lines into the same resumable cache the live teacher uses, so a later live run, or
// distillation, asks nothing again. custom_id carries the prompt's hash and the image's content hash, so a
// result is accepted only for this prompt, and only if the reply names the model asked for.
import fs from 'node:fs';
import path from 'node:path';
import { POINT_PREFIX } from '../../core/teacher/level-words.ts';
import { sha256HexSync } from '../sha256.ts';
import { JudgmentCache, pointCacheKey } from './judgment-cache.ts';
import { chatRequestBody, livePrompts, pointContent, pointFromReply, TeacherReplyError } from './live-client.ts';
import { readImage } from './run-live.ts';
import { inShard, type Shard } from './shard.ts';

export const BATCH_URL = '/v1/chat/completions';
const CUSTOM_ID = /^leaf-point:([0-9a-f]{16}):([0-9a-f]{64})$/;

export interface BatchTeacher {
  /** The model name as the engine serves it (the cache's model key). */
  readonly model: string;
  /** Whether requests carry the answer prefix as an assistant message (as `leaf teacher live` by default). */
  readonly prefill: boolean;
}

const promptHashOf = (t: BatchTeacher) => sha256HexSync(livePrompts(t.prefill).point);
export const batchCustomId = (promptHash: string, imageHash: string) => `leaf-point:${promptHash.slice(0, 16)}:${imageHash}`;

export interface ExportBatchOptions extends BatchTeacher {
  readonly images: readonly string[];
  readonly out: string;
  /** Judgments already here are not asked again; null: ask everything. */
  readonly cacheDir: string | null;
  readonly shard?: Shard;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ExportBatchResult {
  readonly out: string;
  readonly requests: number;
  /** Images whose judgment the cache already holds. */
  readonly cached: number;
  /** Files whose content another file already brought. */
  readonly duplicates: number;
  /** Images that belong to another shard. */
  readonly otherShard: number;
  readonly unreadable: readonly { readonly file: string; readonly message: string }[];
}

export async function exportBatch(o: ExportBatchOptions): Promise<ExportBatchResult> {
  const promptHash = promptHashOf(o);
  const cache = o.cacheDir === null ? null : JudgmentCache.open(o.cacheDir);
  fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
  // Written beside the target and renamed at the end: an interrupted export leaves no half file to submit.
  const tmp = `${o.out}.partial`;
  const fd = fs.openSync(tmp, 'w');
  const seen = new Set<string>();
  let requests = 0;
  let cached = 0;
  let duplicates = 0;
  let otherShard = 0;
  const unreadable: { file: string; message: string }[] = [];
  try {
    for (const [i, file] of o.images.entries()) {
      o.onProgress?.(i, o.images.length);
      let image;
      try {
        image = await readImage(file);
      } catch (err) {
        unreadable.push({ file, message: (err as Error).message });
        continue;
      }
      if (!inShard(image.key, o.shard)) otherShard++;
      else if (seen.has(image.key)) duplicates++;
      else if (cache?.getPoint(pointCacheKey(o.model, promptHash, image.key))) cached++;
      else {
        const body = chatRequestBody(o, pointContent(image), POINT_PREFIX);
        fs.writeSync(fd, `${JSON.stringify({ custom_id: batchCustomId(promptHash, image.key), method: 'POST', url: BATCH_URL, body })}\n`);
        requests++;
      }
      seen.add(image.key);
    }
    o.onProgress?.(o.images.length, o.images.length);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, o.out);
  return { out: o.out, requests, cached, duplicates, otherShard, unreadable };
}

export interface ImportBatchOptions extends BatchTeacher {
  /** The engine's output JSONL. */
  readonly file: string;
  readonly cacheDir: string;
}

export interface ImportBatchResult {
  readonly imported: number;
  /** Results for images the cache already had (e.g. a file imported twice): kept as they were. */
  readonly alreadyCached: number;
  /** Further lines for a request already read from this file. */
  readonly duplicates: number;
  /** Requests the engine failed, or whose reply holds no judgment: export again to retry them. */
  readonly failed: readonly { readonly line: number; readonly customId: string; readonly reason: string }[];
  /** Lines that belong to another run: another prompt, another model, or not a LEAF request. */
  readonly refused: readonly { readonly line: number; readonly reason: string }[];
  /** Lines that are not JSON (a truncated file ends in one). */
  readonly malformed: readonly number[];
}

/** A reply's model may carry a dated suffix (hosted APIs: gpt-4o -> gpt-4o-2024-08-06). */
function sameModel(replied: string, asked: string): boolean {
  return replied === asked || replied.startsWith(`${asked}-`);
}

export function importBatch(o: ImportBatchOptions): ImportBatchResult {
  if (!fs.existsSync(o.file)) throw new Error(`${o.file} does not exist`);
  const promptHash = promptHashOf(o);
  const cache = JudgmentCache.open(o.cacheDir);
  const seen = new Set<string>();
  const r = { imported: 0, alreadyCached: 0, duplicates: 0, failed: [] as ImportBatchResult['failed'][number][], refused: [] as ImportBatchResult['refused'][number][], malformed: [] as number[] };
  const lines = fs.readFileSync(o.file, 'utf8').split('\n');
  lines.forEach((text, i) => {
    const line = i + 1;
    if (text.trim() === '') return;
    let value: { custom_id?: unknown; response?: { status_code?: unknown; body?: unknown } | null; error?: { message?: unknown; code?: unknown } | null };
    try {
      value = JSON.parse(text);
    } catch {
      r.malformed.push(line);
      return;
    }
    const customId = typeof value?.custom_id === 'string' ? value.custom_id : '';
    const m = CUSTOM_ID.exec(customId);
    if (!m) return void r.refused.push({ line, reason: `custom_id ${JSON.stringify(customId)} is not a LEAF point request` });
    if (m[1] !== promptHash.slice(0, 16)) {
      return void r.refused.push({ line, reason: `asked with another prompt (${m[1]}; this LEAF asks ${promptHash.slice(0, 16)}${o.prefill ? '' : ', without prefill'}): export and import with the same version and --no-prefill setting` });
    }
    const imageHash = m[2]!;
    if (seen.has(customId)) return void r.duplicates++;
    seen.add(customId);
    const status = value.response?.status_code;
    if (value.error || (status !== undefined && status !== 200) || !value.response) {
      const why = value.error ? String(value.error.message ?? value.error.code ?? 'failed') : `HTTP ${String(status ?? 'no response')}`;
      return void r.failed.push({ line, customId, reason: `the engine failed it: ${why}` });
    }
    const body = value.response.body as { model?: unknown } | undefined;
    if (typeof body?.model === 'string' && !sameModel(body.model, o.model)) {
      return void r.refused.push({ line, reason: `answered by model ${body.model}, not ${o.model}` });
    }
    const key = pointCacheKey(o.model, promptHash, imageHash);
    if (cache.has(key)) return void r.alreadyCached++;
    try {
      const j = pointFromReply(body, `batch result line ${line}`, o.model, imageHash);
      cache.putPoint(key, { probs: j.probs, score: j.score, reliability: j.reliability, teacher: j.teacher });
      r.imported++;
    } catch (err) {
      if (!(err instanceof TeacherReplyError)) throw err;
      r.failed.push({ line, customId, reason: err.message });
    }
  });
  return r;
}

/** `leaf teacher merge`: every judgment of `from` caches that `into` lacks is appended to it; nothing is asked. */
export function mergeCaches(into: string, from: readonly string[]): { readonly added: number; readonly present: number } {
  const target = JudgmentCache.open(into);
  let added = 0;
  let present = 0;
  for (const dir of from) {
    if (!fs.existsSync(dir)) throw new Error(`cache folder ${dir} does not exist`);
    if (path.resolve(dir) === path.resolve(into)) continue;
    for (const line of JudgmentCache.open(dir).lines()) (target.putLine(line) ? added++ : present++);
  }
  return { added, present };
}
