// Teacher runs at scale (issue #11 item 4): batch files through a local stand-in batch runner, shards and
// merged caches, and a live run through a tiny router whose replica dies mid-run. All over real HTTP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBatch, importBatch, mergeCaches } from './batch.ts';
import { JudgmentCache } from './judgment-cache.ts';
import { resolveLiveTeacherConfig } from './live-client.ts';
import { runLiveTeacher } from './run-live.ts';
import { inShard, parseShard } from './shard.ts';
import { runBatchFile } from './testing/batch-runner.ts';
import { type FakeMllmServer, startFakeMllmServer } from './testing/fake-mllm-server.ts';
import { startTinyRouter } from './testing/tiny-router.ts';

const MODEL = 'fake-mllm';
let dir: string;
let server: FakeMllmServer;
let files: string[];

const tmp = (name: string) => fs.mkdtempSync(path.join(dir, `${name}-`));
const config = (baseUrl: string, concurrency = 2) => ({
  ...resolveLiveTeacherConfig({ baseUrl, model: MODEL }, {}),
  concurrency,
  maxRetries: 6,
  backoffBaseMs: 5,
  backoffMaxMs: 40,
});
const pointLines = (cacheDir: string) =>
  fs
    .readFileSync(path.join(cacheDir, 'judgments.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{"key":"point:'));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-batch-'));
  server = await startFakeMllmServer();
  const images = path.join(dir, 'images');
  fs.mkdirSync(images);
  // 30 distinct images (the fake teacher's score follows their brightness), one byte-identical copy, one non-image.
  files = [];
  for (let i = 0; i < 30; i++) {
    const file = path.join(images, `img-${String(i).padStart(2, '0')}.png`);
    await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 8 * i, g: 255 - 8 * i, b: 4 * i } } }).png().toFile(file);
    files.push(file);
  }
  fs.copyFileSync(files[0]!, path.join(images, 'copy-of-img-00.png'));
  fs.writeFileSync(path.join(images, 'notes.txt'), 'not an image');
});

afterAll(async () => {
  await server.close();
});

describe('batch files (OpenAI Batch API JSONL) through a stand-in batch runner', () => {
  it('export, run, import: failed, duplicate and truncated lines are handled, the rest lands in the cache a live run then reuses', async () => {
    const cache = tmp('cache');
    const twelve = files.slice(0, 12);
    // Two images already judged live: the export leaves them out.
    await runLiveTeacher({ images: twelve.slice(0, 2), config: config(server.baseUrl), cacheDir: cache });
    const withCopy = [...twelve, path.join(dir, 'images', 'copy-of-img-00.png'), path.join(dir, 'images', 'notes.txt')];
    const input = path.join(tmp('batch'), 'requests.jsonl');
    const exported = await exportBatch({ images: withCopy, model: MODEL, prefill: true, out: input, cacheDir: cache });
    expect(exported).toMatchObject({ requests: 10, cached: 2, duplicates: 1, otherShard: 0 });
    expect(exported.unreadable).toHaveLength(1);
    const first = JSON.parse(fs.readFileSync(input, 'utf8').split('\n')[0]!);
    expect(first).toMatchObject({ method: 'POST', url: '/v1/chat/completions', body: { model: MODEL, max_tokens: 1, logprobs: true } });
    expect(first.custom_id).toMatch(/^leaf-point:[0-9a-f]{16}:[0-9a-f]{64}$/);

    const output = path.join(path.dirname(input), 'results.jsonl');
    server.reset();
    await runBatchFile(input, output, server.baseUrl, { fail: [3], duplicate: [5], truncateBytes: 40 });
    const imported = importBatch({ file: output, model: MODEL, prefill: true, cacheDir: cache });
    expect(imported).toMatchObject({ imported: 8, alreadyCached: 0, duplicates: 1, refused: [] });
    expect(imported.failed).toHaveLength(1);
    expect(imported.failed[0]!.reason).toMatch(/CUDA out of memory/);
    expect(imported.malformed).toHaveLength(1);
    // Importing the same file again adds nothing.
    expect(importBatch({ file: output, model: MODEL, prefill: true, cacheDir: cache })).toMatchObject({ imported: 0, alreadyCached: 8 });

    // The next export asks only what is missing: the failed line and the truncated one.
    const retry = path.join(path.dirname(input), 'retry.jsonl');
    expect(await exportBatch({ images: twelve, model: MODEL, prefill: true, out: retry, cacheDir: cache })).toMatchObject({ requests: 2, cached: 10 });
    const retryOut = path.join(path.dirname(input), 'retry-results.jsonl');
    await runBatchFile(retry, retryOut, server.baseUrl);
    expect(importBatch({ file: retryOut, model: MODEL, prefill: true, cacheDir: cache })).toMatchObject({ imported: 2, failed: [], malformed: [] });

    // A live run over the twelve now asks nothing, and reads the same judgments a live teacher gives.
    server.reset();
    const cached = await runLiveTeacher({ images: twelve, config: config(server.baseUrl), cacheDir: cache });
    expect(server.requests).toHaveLength(0);
    const fresh = await runLiveTeacher({ images: twelve, config: config(server.baseUrl), cacheDir: null });
    expect(cached.points.map((p) => [p.image, p.score.toFixed(9)])).toEqual(fresh.points.map((p) => [p.image, p.score.toFixed(9)]));
  });

  it('refuses results from another model or another prompt, naming why', async () => {
    const cache = tmp('cache');
    const input = path.join(tmp('batch'), 'requests.jsonl');
    await exportBatch({ images: files.slice(0, 3), model: MODEL, prefill: true, out: input, cacheDir: null });
    const output = path.join(path.dirname(input), 'results.jsonl');
    await runBatchFile(input, output, server.baseUrl);
    const otherModel = importBatch({ file: output, model: 'another-model', prefill: true, cacheDir: cache });
    expect(otherModel.imported).toBe(0);
    expect(otherModel.refused.map((r) => r.reason)).toEqual(new Array(3).fill(`answered by model ${MODEL}, not another-model`));
    const otherPrompt = importBatch({ file: output, model: MODEL, prefill: false, cacheDir: cache });
    expect(otherPrompt.imported).toBe(0);
    expect(otherPrompt.refused[0]!.reason).toMatch(/asked with another prompt/);
    fs.writeFileSync(output, `${JSON.stringify({ custom_id: 'request-1', response: { status_code: 200, body: {} } })}\n`);
    expect(importBatch({ file: output, model: MODEL, prefill: true, cacheDir: cache }).refused[0]!.reason).toMatch(/not a LEAF point request/);
    expect(() => importBatch({ file: path.join(dir, 'missing.jsonl'), model: MODEL, prefill: true, cacheDir: cache })).toThrow(/does not exist/);
  });
});

describe('runs split across machines', () => {
  it('--shard i/n splits by content hash with no overlap and no gap; merge joins the caches so nothing is asked twice', async () => {
    expect(() => parseShard('0/3')).toThrow(/1 <= i <= n/);
    expect(() => parseShard('4/3')).toThrow();
    expect(() => parseShard('two')).toThrow();
    const caches = [1, 2, 3].map((i) => tmp(`shard${i}`));
    let asked = 0;
    for (const [i, cache] of caches.entries()) {
      server.reset();
      const r = await runLiveTeacher({ images: files, config: config(server.baseUrl), cacheDir: cache, shard: parseShard(`${i + 1}/3`) });
      expect(r.failures).toEqual([]);
      expect(r.points.length + (r.otherShard ?? 0)).toBe(files.length);
      expect(r.points.every((p) => inShard(p.image, { index: i + 1, count: 3 }))).toBe(true);
      asked += server.requests.length;
    }
    expect(asked).toBe(files.length); // every image asked exactly once over the three machines
    const merged = tmp('merged');
    expect(mergeCaches(merged, caches)).toEqual({ added: files.length, present: 0 });
    expect(mergeCaches(merged, caches)).toEqual({ added: 0, present: files.length });
    server.reset();
    const all = await runLiveTeacher({ images: files, config: config(server.baseUrl), cacheDir: merged });
    expect(all.points).toHaveLength(files.length);
    expect(server.requests).toHaveLength(0);
    expect(() => mergeCaches(merged, [path.join(dir, 'no-such-cache')])).toThrow(/does not exist/);
  });

  it('a live run through a router whose replica dies mid-run judges every image exactly once and loses nothing', async () => {
    const replicas = await Promise.all([0, 1, 2].map(() => startFakeMllmServer({ delayMs: 15 })));
    const router = await startTinyRouter(replicas.map((r) => r.baseUrl));
    const cache = tmp('routed');
    // Replica 2 goes away once it has answered 3 requests (the others keep serving).
    const watch = setInterval(() => {
      if (replicas[1]!.requests.length >= 3) {
        clearInterval(watch);
        void replicas[1]!.close();
      }
    }, 2);
    try {
      const r = await runLiveTeacher({ images: files, config: config(router.baseUrl, 4), cacheDir: cache });
      expect(r.failures).toEqual([]);
      expect(r.points).toHaveLength(files.length);
      expect(router.badGateway).toBeGreaterThan(0); // the death was seen, and retried past
      const keys = pointLines(cache).map((l) => JSON.parse(l).key as string);
      expect(keys).toHaveLength(files.length);
      expect(new Set(keys).size).toBe(files.length); // one judgment per image in the cache
      // And the points are the ones a single healthy server gives.
      const direct = await runLiveTeacher({ images: files, config: config(replicas[0]!.baseUrl), cacheDir: null });
      expect(r.points.map((p) => p.score)).toEqual(direct.points.map((p) => p.score));
      expect(JudgmentCache.open(cache).size).toBe(files.length);
      // What a judgment costs on disk (the README's estimate for a million images scales this).
      console.log(`judgment cache: ${(fs.statSync(path.join(cache, 'judgments.jsonl')).size / files.length).toFixed(0)} bytes per image (model name "${MODEL}")`);
    } finally {
      clearInterval(watch);
      await router.close();
      await Promise.all([replicas[0]!.close(), replicas[2]!.close()]);
    }
  });
});

describe('the CLI', () => {
  it('leaf teacher export-batch / import-batch / merge: usage errors exit 2, a missing file 1, a round trip 0', { timeout: 120_000 }, async () => {
    const { spawnSync } = await import('node:child_process');
    const { REPO_ROOT } = await import('../model-dir.ts');
    const leaf = (...args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'leaf.mjs'), 'teacher', ...args], { encoding: 'utf8', cwd: REPO_ROOT, timeout: 60_000, env: { ...process.env, LEAF_TEACHER_MODEL: '' } });
    const work = tmp('cli');
    const noModel = leaf('export-batch', files[0]!, '--out', path.join(work, 'r.jsonl'));
    expect(noModel.status).toBe(2);
    expect(noModel.stderr).toMatch(/--model is required/);
    expect(leaf('export-batch', files[0]!, '--model', MODEL, '--out', path.join(work, 'r.jsonl'), '--shard', '5/4').status).toBe(2);
    const missing = leaf('import-batch', path.join(work, 'nothing.jsonl'), '--model', MODEL, '--cache', path.join(work, 'cache'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);
    const exported = leaf('export-batch', ...files.slice(0, 4), '--model', MODEL, '--out', path.join(work, 'r.jsonl'), '--cache', path.join(work, 'cache'));
    expect(exported.status).toBe(0);
    expect(exported.stderr).toMatch(/^4 requests written/m);
    // A server of its own: spawnSync blocked this event loop long enough for the shared server's idle
    // keep-alive sockets to be closed under the client's connection pool.
    const own = await startFakeMllmServer();
    await runBatchFile(path.join(work, 'r.jsonl'), path.join(work, 'out.jsonl'), own.baseUrl);
    await own.close();
    const imported = leaf('import-batch', path.join(work, 'out.jsonl'), '--model', MODEL, '--cache', path.join(work, 'cache'));
    expect(imported.status).toBe(0);
    expect(imported.stderr).toMatch(/^4 judgments imported/m);
    const merged = leaf('merge', path.join(work, 'cache'), '--into', path.join(work, 'all'));
    expect(merged.status).toBe(0);
    expect(merged.stderr).toMatch(/^4 judgments added/m);
  });
});
