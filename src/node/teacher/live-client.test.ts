import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { TeacherImage } from '../../core/teacher/types.ts';
import { teacherLiveCommand, type TeacherLiveIo } from '../../cli/commands/teacher-live.ts';
import { sha256HexSync } from '../sha256.ts';
import { JudgmentCache, pairCacheKey, pointCacheKey, withCache } from './judgment-cache.ts';
import {
  LiveMllmTeacher,
  TeacherReplyError,
  normalizeToken,
  parseRetryAfter,
  resolveLiveTeacherConfig,
  type LiveTeacherConfig,
} from './live-client.ts';
import { planPairs, runLiveTeacher } from './run-live.ts';
import { startFakeMllmServer, type FakeMllmServer, type FakeServerOptions } from './testing/fake-mllm-server.ts';

const REAL_IMAGES = '/work/shared/data/agiqa3k/images';

let server: FakeMllmServer;
const tmpDirs: string[] = [];

beforeAll(async () => {
  server = await startFakeMllmServer();
});
afterAll(async () => {
  await server.close();
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});
afterEach(() => server.reset({ mode: 'ok' }));

function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-teacher-'));
  tmpDirs.push(d);
  return d;
}

/** A fake "image" whose bytes all equal `fill`: the fake server scores brighter bytes higher. */
function image(fill: number, name = `img-${fill}`): TeacherImage {
  const bytes = new Uint8Array(256).fill(fill);
  return { key: sha256HexSync(bytes), name, bytes, mime: 'image/png' };
}

function config(overrides: Partial<LiveTeacherConfig> = {}): LiveTeacherConfig {
  return {
    ...resolveLiveTeacherConfig({ baseUrl: server.baseUrl, model: 'fake-vl' }, {}),
    backoffBaseMs: 5,
    backoffMaxMs: 20,
    timeoutMs: 2_000,
    ...overrides,
  };
}

function teacher(overrides: Partial<LiveTeacherConfig> = {}, serverOptions?: FakeServerOptions): LiveMllmTeacher {
  if (serverOptions) server.reset(serverOptions);
  return new LiveMllmTeacher(config(overrides));
}

async function replyError(p: Promise<unknown>): Promise<TeacherReplyError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TeacherReplyError);
  return err as TeacherReplyError;
}

describe('point-wise judgments', () => {
  it('turns level log-probs into a distribution whose score follows the image content', async () => {
    const t = teacher();
    const [dark, mid, bright] = await Promise.all([t.judgePoint(image(20)), t.judgePoint(image(128)), t.judgePoint(image(240))]);
    for (const j of [dark, mid, bright]) {
      expect(j.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      expect(j.reliability).toBeGreaterThan(0);
      expect(j.reliability).toBeLessThanOrEqual(1);
      expect(j.teacher).toBe('fake-vl');
    }
    expect(dark.score).toBeLessThan(mid.score);
    expect(mid.score).toBeLessThan(bright.score);
    expect(bright.probs[0]).toBeGreaterThan(0.5); // excellent
    expect(dark.probs[4]).toBeGreaterThan(0.5); // bad
    expect(dark.image).toBe(image(20).key);
  });

  it('sends the rating prompt, the image as a data URL, prefill and single-token logprob settings', async () => {
    await teacher({ apiKey: 'sk-test' }, { mode: 'ok', apiKey: 'sk-test' }).judgePoint(image(100));
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.url).toBe('/v1/chat/completions');
    expect(req.authorization).toBe('Bearer sk-test');
    const body = req.body as Record<string, any>;
    expect(body).toMatchObject({
      model: 'fake-vl',
      max_tokens: 1,
      logprobs: true,
      top_logprobs: 20,
      temperature: 0,
      continue_final_message: true,
      add_generation_prompt: false,
    });
    expect(body.messages[0]).toEqual({ role: 'system', content: 'You are an expert in image quality assessment.' });
    expect(body.messages[1].content[0].image_url.url).toMatch(/^data:image\/png;base64,/);
    expect(body.messages[1].content[1].text).toContain('Can you rate the quality of the image in a single sentence?');
    expect(body.messages[1].content[1].text).toContain('The quality of the image is');
    expect(body.messages[2]).toEqual({ role: 'assistant', content: 'The quality of the image is' });
  });

  it('leaves out the assistant prefill when prefill is off', async () => {
    await teacher({ prefill: false }).judgePoint(image(100));
    const body = server.requests[0]!.body as Record<string, any>;
    expect(body.messages).toHaveLength(2);
    expect(body.continue_final_message).toBeUndefined();
  });

  it('normalises tokenizer spellings of level words', () => {
    expect(['Ġgood', '▁Good', ' GOOD ', 'good'].map(normalizeToken)).toEqual(['good', 'good', 'good', 'good']);
  });

  it('works on real JPEG bytes', async () => {
    const files = fs.readdirSync(REAL_IMAGES).slice(0, 2);
    const t = teacher();
    for (const f of files) {
      const bytes = new Uint8Array(fs.readFileSync(path.join(REAL_IMAGES, f)));
      const j = await t.judgePoint({ key: sha256HexSync(bytes), name: f, bytes, mime: 'image/jpeg' });
      expect(j.score).toBeGreaterThanOrEqual(1);
      expect(j.score).toBeLessThanOrEqual(5);
    }
  });
});

describe('pair-wise judgments', () => {
  it('asks in both orders and prefers the better image', async () => {
    const t = teacher();
    const good = image(230);
    const bad = image(40);
    const j = await t.judgePair(good, bad);
    expect(server.requests).toHaveLength(2);
    const [r1, r2] = server.requests;
    expect(new Set([r1!.images.join('|'), r2!.images.join('|')])).toEqual(
      new Set([
        [r1!.images[0], r1!.images[1]].join('|'),
        [r1!.images[1], r1!.images[0]].join('|'),
      ]),
    );
    expect(r1!.images[0]).toBe(r2!.images[1]);
    expect(r1!.images[1]).toBe(r2!.images[0]);
    expect(j.a).toBe(good.key);
    expect(j.b).toBe(bad.key);
    expect(j.pAB).toBeGreaterThan(0.9);
    expect(j.reliability).toBeGreaterThan(0.5);
    const reverse = await t.judgePair(bad, good);
    expect(reverse.pAB).toBeCloseTo(1 - j.pAB, 10);
  });

  it('exposes a position-biased server: pAB near 0.5 and low reliability', async () => {
    const j = await teacher({}, { mode: 'position-biased' }).judgePair(image(230), image(40));
    expect(server.requests).toHaveLength(2);
    expect(j.pAB).toBeCloseTo(0.5, 5);
    expect(j.reliability).toBeLessThan(0.05);
  });
});

describe('transport', () => {
  it('retries 429 and honours Retry-After', async () => {
    const t = teacher({}, { mode: '429-then-ok', failures: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const j = await t.judgePoint(image(90));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
    expect(j.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('retries 5xx with backoff and succeeds', async () => {
    const j = await teacher({}, { mode: '500-then-ok', failures: 3 }).judgePoint(image(90));
    expect(server.requests).toHaveLength(4);
    expect(j.score).toBeGreaterThan(1);
  });

  it('gives up after maxRetries with an http-status error', async () => {
    const err = await replyError(teacher({ maxRetries: 2 }, { mode: '500-then-ok', failures: 10 }).judgePoint(image(90)));
    expect(err.code).toBe('http-status');
    expect(err.status).toBe(500);
    expect(err.message).toMatch(/gave up after 3 attempts/);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry other 4xx', async () => {
    const err = await replyError(teacher({}, { mode: '400' }).judgePoint(image(90)));
    expect(err.code).toBe('http-status');
    expect(err.status).toBe(400);
    expect(err.message).toContain('model does not support images');
    expect(err.message).toContain(server.baseUrl);
    expect(server.requests).toHaveLength(1);
  });

  it('reports a timeout after retrying', async () => {
    const t = teacher({ timeoutMs: 100, maxRetries: 1 }, { mode: 'slow', delayMs: 3_000 });
    const started = Date.now();
    const err = await replyError(t.judgePoint(image(90)));
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/within 100 ms/);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports an unreachable server as a network error', async () => {
    const dead = await startFakeMllmServer();
    const baseUrl = dead.baseUrl;
    await dead.close();
    const t = new LiveMllmTeacher({ ...config({ maxRetries: 1 }), baseUrl });
    const err = await replyError(t.judgePoint(image(90)));
    expect(err.code).toBe('network');
  });

  it('stops at once on an external abort, without retrying', async () => {
    const t = teacher({ timeoutMs: 5_000 }, { mode: 'slow', delayMs: 3_000 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('user cancelled')), 50);
    await expect(t.judgePoint(image(90), abort.signal)).rejects.toThrow('user cancelled');
    expect(server.requests).toHaveLength(1);
  });

  it('never has more requests in flight than the concurrency bound', async () => {
    const t = teacher({ concurrency: 3 }, { mode: 'ok', delayMs: 40 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => t.judgePoint(image(i * 20))));
    expect(server.requests).toHaveLength(12);
    expect(server.maxInFlight).toBe(3);
  });
});

describe('malformed replies', () => {
  const cases = [
    ['malformed-json', 'malformed-json', /not JSON/],
    ['no-choices', 'no-choices', /without choices/],
    ['no-logprobs', 'no-logprobs', /returned no logprobs: start it with logprobs enabled \(vLLM: --max-logprobs 20\)/],
    ['no-level-tokens', 'no-level-tokens', /none of the level words/],
  ] as const;
  for (const [mode, code, message] of cases) {
    it(`rejects ${mode} with code ${code}`, async () => {
      const err = await replyError(teacher({}, { mode }).judgePoint(image(90)));
      expect(err.code).toBe(code);
      expect(err.message).toMatch(message);
      expect(err.message).toContain(`server ${server.baseUrl} (model fake-vl)`);
      expect(err.message.split('\n')).toHaveLength(1);
      expect(server.requests).toHaveLength(1); // a well-formed error reply is not retried
    });
  }

  it('rejects pair replies without first/second tokens', async () => {
    const err = await replyError(teacher({}, { mode: 'no-level-tokens' }).judgePair(image(1), image(2)));
    expect(err.code).toBe('no-choice-tokens');
  });
});

describe('judgment cache', () => {
  it('answers a rerun from disk with zero requests', async () => {
    const dir = tmpDir();
    const images = [image(10), image(120), image(250)];
    const first = withCache(teacher(), JudgmentCache.open(dir));
    const fresh = await Promise.all(images.map((im) => first.judgePoint(im)));
    const freshPair = await first.judgePair!(images[0]!, images[2]!);
    expect(server.requests).toHaveLength(5);

    server.reset();
    const reopened = JudgmentCache.open(dir);
    expect(reopened.size).toBe(4);
    const second = withCache(teacher(), reopened);
    const cached = await Promise.all(images.map((im) => second.judgePoint(im)));
    const cachedPair = await second.judgePair!(images[0]!, images[2]!);
    expect(server.requests).toHaveLength(0);
    expect(cached).toEqual(fresh);
    expect(cachedPair).toEqual(freshPair);
  });

  it('shares one request between identical requests in flight', async () => {
    const cached = withCache(teacher({}, { mode: 'ok', delayMs: 30 }), JudgmentCache.open(tmpDir()));
    await Promise.all([cached.judgePoint(image(7)), cached.judgePoint(image(7, 'copy'))]);
    expect(server.requests).toHaveLength(1);
  });

  it('tolerates a truncated trailing line and keeps appending cleanly', async () => {
    const dir = tmpDir();
    const t = withCache(teacher(), JudgmentCache.open(dir));
    await t.judgePoint(image(10));
    await t.judgePoint(image(20));
    const file = path.join(dir, 'judgments.jsonl');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, text.length - 30)); // crash mid-write of the second line

    const reopened = JudgmentCache.open(dir);
    expect(reopened.size).toBe(1);
    expect(reopened.skippedLines).toBe(1);
    server.reset();
    const again = withCache(teacher(), reopened);
    await again.judgePoint(image(10));
    await again.judgePoint(image(20));
    expect(server.requests).toHaveLength(1); // only the lost judgment is asked again

    const final = JudgmentCache.open(dir);
    expect(final.size).toBe(2);
    expect(final.skippedLines).toBe(1);
  });

  it('keys on model, prompt and image content', async () => {
    const h = sha256HexSync('x');
    expect(pointCacheKey('m1', h, 'img')).not.toBe(pointCacheKey('m2', h, 'img'));
    expect(pointCacheKey('m1', h, 'img')).not.toBe(pointCacheKey('m1', sha256HexSync('y'), 'img'));
    expect(pairCacheKey('m', h, 'a', 'b')).not.toBe(pairCacheKey('m', h, 'b', 'a'));

    const dir = tmpDir();
    await withCache(teacher(), JudgmentCache.open(dir)).judgePoint(image(50));
    server.reset();
    await withCache(teacher({ model: 'other-model' }), JudgmentCache.open(dir)).judgePoint(image(50));
    await withCache(teacher({ prefill: false }), JudgmentCache.open(dir)).judgePoint(image(50)); // prompt differs
    await withCache(teacher(), JudgmentCache.open(dir)).judgePoint(image(50, 'renamed')); // same content: hit
    expect(server.requests).toHaveLength(2);
    expect((server.requests[0]!.body as { model: string }).model).toBe('other-model');
  });

  it('does not cache failures', async () => {
    const dir = tmpDir();
    await replyError(withCache(teacher({}, { mode: 'no-logprobs' }), JudgmentCache.open(dir)).judgePoint(image(5)));
    expect(JudgmentCache.open(dir).size).toBe(0);
  });
});

describe('configuration', () => {
  it('reads flags over LEAF_TEACHER_* over OPENAI_* environment', () => {
    const env = { LEAF_TEACHER_MODEL: 'env-model', OPENAI_BASE_URL: 'http://10.0.0.1:8000/v1/', OPENAI_API_KEY: 'sk-openai' };
    expect(resolveLiveTeacherConfig({}, env)).toMatchObject({
      baseUrl: 'http://10.0.0.1:8000/v1',
      model: 'env-model',
      apiKey: 'sk-openai',
      concurrency: 4,
      timeoutMs: 60_000,
      maxRetries: 4,
    });
    const c = resolveLiveTeacherConfig(
      { baseUrl: 'http://127.0.0.1:9/v1', model: 'flag-model', concurrency: '2' },
      { ...env, LEAF_TEACHER_BASE_URL: 'http://x/v1', LEAF_TEACHER_API_KEY: 'sk-leaf' },
    );
    expect(c).toMatchObject({ baseUrl: 'http://127.0.0.1:9/v1', model: 'flag-model', apiKey: 'sk-leaf', concurrency: 2 });
    expect(resolveLiveTeacherConfig({ baseUrl: 'http://h/v1', model: 'm' }, {}).apiKey).toBeUndefined();
  });

  it('rejects bad settings with one-line reasons', () => {
    expect(() => resolveLiveTeacherConfig({ model: 'm' }, {})).toThrow(/base URL missing/);
    expect(() => resolveLiveTeacherConfig({ baseUrl: 'not a url', model: 'm' }, {})).toThrow(/not a valid URL/);
    expect(() => resolveLiveTeacherConfig({ baseUrl: 'ftp://h/v1', model: 'm' }, {})).toThrow(/http or https/);
    expect(() => resolveLiveTeacherConfig({ baseUrl: 'http://h/v1' }, {})).toThrow(/model missing/);
    expect(() => resolveLiveTeacherConfig({ baseUrl: 'http://h/v1', model: 'm', concurrency: 0 }, {})).toThrow(
      /--concurrency must be an integer >= 1/,
    );
    expect(() => resolveLiveTeacherConfig({ baseUrl: 'http://h/v1', model: 'm', timeoutMs: 'soon' }, {})).toThrow(/--timeout-ms/);
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('garbage')).toBeUndefined();
    expect(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThan(5_000);
  });
});

describe('runLiveTeacher', () => {
  function writeImages(dir: string, fills: readonly number[]): string[] {
    return fills.map((fill, i) => {
      const file = path.join(dir, `im${i}.png`);
      fs.writeFileSync(file, new Uint8Array(300).fill(fill));
      return file;
    });
  }

  it('judges every file and sampled pairs, collects failures, and resumes from the cache', async () => {
    const dir = tmpDir();
    const files = [...writeImages(dir, [10, 80, 160, 240]), path.join(dir, 'missing.png')];
    const progress: [number, number, number][] = [];
    const run = () =>
      runLiveTeacher({
        images: files,
        pairs: 3,
        seed: 7,
        config: config({ concurrency: 2 }),
        cacheDir: path.join(dir, 'cache'),
        onProgress: (...p) => progress.push(p),
      });
    const result = await run();
    expect(result.points).toHaveLength(4);
    expect(result.images.map((i) => i.file)).toEqual(files.slice(0, 4));
    const scores = result.images.map((im) => result.points.find((p) => p.image === im.key)!.score);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    // Pairs touching the missing file fail; the others succeed.
    expect(result.pairs.length + result.failures.length - 1).toBe(3);
    expect(result.failures[0]).toMatchObject({ files: [files[4]], code: 'ENOENT' });
    expect(progress.at(-1)).toEqual([8, 8, result.failures.length]);
    expect(server.maxInFlight).toBeLessThanOrEqual(2);

    const before = server.requests.length;
    expect(before).toBe(4 + 2 * result.pairs.length);
    const rerun = await run();
    expect(server.requests.length).toBe(before);
    expect(rerun.points).toEqual(result.points);
    expect(rerun.pairs).toEqual(result.pairs);
  });

  it('plans pairs deterministically', () => {
    expect(planPairs(4, 'adjacent', 1)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(planPairs(10, 5, 3)).toEqual(planPairs(10, 5, 3));
    expect(planPairs(10, 5, 3)).not.toEqual(planPairs(10, 5, 4));
    expect(planPairs(4, 100, 1)).toHaveLength(6);
    const many = planPairs(1000, 500, 9);
    expect(new Set(many.map(([i, j]) => `${Math.min(i, j)},${Math.max(i, j)}`)).size).toBe(500);
    expect(planPairs(5, 'none', 1)).toEqual([]);
  });
});

describe('leaf teacher live command', () => {
  function io(env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const codes: number[] = [];
    const stream = (sink: string[]) =>
      ({ write: (s: string, cb?: () => void) => (sink.push(s), cb?.(), true) }) as unknown as NodeJS.WritableStream;
    const value: TeacherLiveIo = { stdout: stream(out), stderr: stream(err), env, exit: (c) => void codes.push(c) };
    return { value, out, err, codes };
  }

  async function cli(args: string[], env?: Record<string, string>) {
    const x = io(env);
    await teacherLiveCommand(x.value)
      .parseAsync(args, { from: 'user' })
      .catch(() => undefined); // exitOverride rethrows after recording the code
    return x;
  }

  it('writes points and pairs as JSON for a folder of images', async () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'a.PNG'), new Uint8Array(50).fill(30));
    fs.writeFileSync(path.join(dir, 'sub', 'b.jpeg'), new Uint8Array(50).fill(200));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not an image');
    const outFile = path.join(dir, 'out', 'judgments.json');
    const r = await cli(
      [dir, '--base-url', server.baseUrl, '--model', 'fake-vl', '--pairs', 'adjacent', '--cache', path.join(dir, 'c'), '--out', outFile, '--no-progress'],
    );
    expect(r.codes).toEqual([0]);
    const json = JSON.parse(fs.readFileSync(outFile, 'utf8'));
    expect(json.points).toHaveLength(2);
    expect(json.pairs).toHaveLength(1);
    expect(json.pairs[0].pAB).toBeLessThan(0.5); // a.PNG (dark) vs sub/b.jpeg (bright)
    expect(json.failures).toEqual([]);
    expect(r.err.join('')).toContain('2 point and 1 pair judgments');
  });

  it('takes the server from the environment and writes to stdout', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'x.webp');
    fs.writeFileSync(file, new Uint8Array(50).fill(99));
    const r = await cli([file, '--no-cache', '--no-progress'], { LEAF_TEACHER_BASE_URL: server.baseUrl, LEAF_TEACHER_MODEL: 'env-vl' });
    expect(r.codes).toEqual([0]);
    expect(JSON.parse(r.out.join('')).points[0].teacher).toBe('env-vl');
  });

  it('exits 2 with a one-line reason on bad flags', async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'x.png'), new Uint8Array(10));
    const cases: [string[], RegExp][] = [
      [[dir, '--model', 'm'], /base URL missing/],
      [[dir, '--base-url', 'nope', '--model', 'm'], /not a valid URL/],
      [[dir, '--base-url', server.baseUrl, '--model', 'm', '--concurrency', '0'], /--concurrency.*positive integer/],
      [[dir, '--base-url', server.baseUrl, '--model', 'm', '--pairs', 'many'], /--pairs.*none, adjacent/],
      [[dir, '--bogus'], /unknown option '--bogus'/],
      [[path.join(dir, 'absent'), '--base-url', server.baseUrl, '--model', 'm'], /no such file or folder/],
      [[path.join(dir, 'x.png'), '--base-url', server.baseUrl], /model missing/],
    ];
    for (const [args, reason] of cases) {
      const r = await cli(args, {});
      expect(r.codes, args.join(' ')).toEqual([2]);
      const text = r.err.join('').trim();
      expect(text).toMatch(reason);
      expect(text.split('\n')).toHaveLength(1);
    }
    expect(server.requests).toHaveLength(0);
  });
});
