// The local teacher against tiny models the tests build themselves (real ONNX graphs, real tokenizer and
// processor files): loading, preprocessing, the level-word and CLIP readings, caching, resume, and each
// way a folder can be unusable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import sharp from 'sharp';
import { afterAll, describe, expect, it, vi } from 'vitest';

import { POINT_PREFIX, POINT_USER_TEXT, SYSTEM_PROMPT } from '../../../core/teacher/level-words.ts';
import type { PointJudgment, TeacherImage } from '../../../core/teacher/types.ts';
import { teacherLocalCommand } from '../../../cli/commands/teacher-local.ts';
import type { TeacherLiveIo } from '../../../cli/commands/teacher-live.ts';
import { sha256HexSync } from '../../sha256.ts';
import { JudgmentCache } from '../judgment-cache.ts';
import { runTeacher } from '../run-live.ts';
import { writeTinyClip, writeTinyVlm, type TinyOptions } from '../testing/tiny-models.ts';
import { loadLocalTeacher } from './load-local-teacher.ts';
import { LocalModelError } from '../../../core/teacher/local/local-model-error.ts';
import type { LocalTeacher } from '../../../core/teacher/local/local-teacher.ts';
import type { LocalKind } from '../../../core/teacher/local/model-folder.ts';

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-local-teacher-'));
  tmpDirs.push(d);
  return d;
}

// The words of the chat-templated prompt, so the tiny tokenizer can spell it.
const VLM_TEXTS = [SYSTEM_PROMPT, POINT_USER_TEXT, POINT_PREFIX, 'system user assistant'];

function tinyModel(kind: LocalKind, options: TinyOptions = {}): string {
  const dir = path.join(tmpDir(), `tiny-${kind}`);
  if (kind === 'clip') writeTinyClip(dir, options);
  else writeTinyVlm(dir, VLM_TEXTS, options);
  return dir;
}

async function grey(value: number, format: 'png' | 'jpeg' = 'png'): Promise<TeacherImage> {
  const img = sharp({ create: { width: 24, height: 16, channels: 3, background: { r: value, g: value, b: value } } });
  const bytes = new Uint8Array(await (format === 'png' ? img.png() : img.jpeg()).toBuffer());
  return { key: sha256HexSync(bytes), name: `grey-${value}.${format}`, bytes, mime: `image/${format}` };
}

async function loadError(promise: Promise<unknown>): Promise<LocalModelError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LocalModelError);
  return err as LocalModelError;
}

/** Counts the model runs behind a local teacher, to prove what the cache answered. */
function counting<T extends LocalTeacher>(teacher: T): T & { readonly calls: number } {
  const spy = vi.spyOn(teacher as unknown as { judgeImage: (image: TeacherImage) => Promise<unknown> }, 'judgeImage');
  return Object.defineProperty(teacher, 'calls', { get: () => spy.mock.calls.length }) as T & { readonly calls: number };
}

describe.each(['clip', 'vlm'] as const)('local %s teacher on a tiny model', (kind) => {
  it('loads from disk without touching the network and judges brighter images better', async () => {
    const realFetch = globalThis.fetch;
    const fetched: string[] = [];
    globalThis.fetch = ((input: Parameters<typeof fetch>[0]) => {
      fetched.push(String(input));
      return Promise.reject(new Error('network is off in this test'));
    }) as typeof fetch;
    try {
      const teacher = await loadLocalTeacher({ model: tinyModel(kind), kind });
      expect(teacher.id).toMatch(new RegExp(`^local-${kind}:tiny-${kind}@[0-9a-f]{12}$`));
      const [dark, mid, bright] = await Promise.all([grey(30), grey(128), grey(225, 'jpeg')]);
      const judged: PointJudgment[] = [];
      for (const img of [dark, mid, bright]) judged.push(await teacher.judgePoint(img));
      for (const j of judged) {
        expect(j.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        expect(j.score).toBeGreaterThanOrEqual(1);
        expect(j.score).toBeLessThanOrEqual(5);
        expect(j.reliability).toBeGreaterThanOrEqual(0);
        expect(j.reliability).toBeLessThanOrEqual(1);
        expect(j.teacher).toBe(teacher.id);
      }
      expect(judged[0]!.score).toBeLessThan(2.5);
      expect(judged[1]!.score).toBeGreaterThan(2.5);
      expect(judged[1]!.score).toBeLessThan(3.5);
      expect(judged[2]!.score).toBeGreaterThan(3.5);
      // Mid grey is the least decided image; the extremes are trusted more.
      expect(judged[1]!.reliability).toBeLessThan(Math.min(judged[0]!.reliability, judged[2]!.reliability));

      const pair = await teacher.judgePair(bright, dark);
      expect(pair.a).toBe(bright.key);
      expect(pair.pAB).toBeGreaterThan(0.9);
      await teacher.dispose();
      expect(fetched).toEqual([]);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});

describe('the readings on the tiny models, number for number', () => {
  it('vlm: the level distribution is the softmax of the level-word logits (linear in the level here)', async () => {
    const teacher = await loadLocalTeacher({ model: tinyModel('vlm'), kind: 'vlm' });
    const j = await teacher.judgePoint(await grey(200));
    // The tiny decoder gives level i the logit c * (2 - i): consecutive log-ratios are all equal.
    const ratios = [0, 1, 2, 3].map((i) => Math.log(j.probs[i]! / j.probs[i + 1]!));
    for (const r of ratios) expect(r).toBeCloseTo(ratios[0]!, 6);
    expect(ratios[0]).toBeGreaterThan(0);
    await teacher.dispose();
  });

  it('clip: four unanimous prompt pairs give a binomial level distribution', async () => {
    const teacher = await loadLocalTeacher({ model: tinyModel('clip'), kind: 'clip' });
    const j = await teacher.judgePoint(await grey(150));
    const p = (j.score - 1) / 4; // every pair of the tiny model agrees, so each says "positive" with p
    const binom = [1, 4, 6, 4, 1].map((c, k) => c * p ** k * (1 - p) ** (4 - k)).reverse();
    j.probs.forEach((q, i) => expect(q).toBeCloseTo(binom[i]!, 6));
    await teacher.dispose();
  });
});

describe('cache and resume', () => {
  it('answers a rerun from the cache, judges only new images, and misses after the model changes', async () => {
    const model = tinyModel('clip');
    const images = tmpDir();
    for (const v of [40, 120, 200]) fs.writeFileSync(path.join(images, `g${v}.png`), (await grey(v)).bytes);
    const cacheDir = path.join(tmpDir(), 'cache');
    const files = (names: string[]) => names.map((n) => path.join(images, n));

    const first = counting(await loadLocalTeacher({ model, kind: 'clip' }));
    const r1 = await runTeacher(first, { images: files(['g40.png', 'g120.png']), cacheDir });
    expect(first.calls).toBe(2);
    expect(r1.failures).toEqual([]);

    // Resume: a new process (new teacher) over more images judges only the new one, same answers, and
    // its pairs come from the cached points, not from new model runs.
    const second = counting(await loadLocalTeacher({ model, kind: 'clip' }));
    const r2 = await runTeacher(second, { images: files(['g40.png', 'g120.png', 'g200.png']), cacheDir, pairs: 'adjacent' });
    expect(second.calls).toBe(1);
    expect(r2.points.slice(0, 2)).toEqual(r1.points);
    expect(r2.pairs).toHaveLength(2);
    expect(r2.pairs[1]!.pAB).toBeLessThan(0.5); // g120 vs g200: the brighter one wins
    const cache = JudgmentCache.open(cacheDir);
    expect(cache.size).toBe(3); // derived pairs are recomputed from points, not stored

    // A crash mid-write leaves half a line: it is skipped and that image is judged again.
    const file = path.join(cacheDir, 'judgments.jsonl');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const pointLines = lines.filter((l) => l.includes('"point"'));
    fs.writeFileSync(file, `${lines.filter((l) => l !== pointLines.at(-1)).join('\n')}\n${pointLines.at(-1)!.slice(0, 40)}`);
    const third = counting(await loadLocalTeacher({ model, kind: 'clip' }));
    await runTeacher(third, { images: files(['g40.png', 'g120.png', 'g200.png']), cacheDir });
    expect(third.calls).toBe(1);

    // Another model (here: the same graph with a changed config) never gets this model's answers.
    const cfg = JSON.parse(fs.readFileSync(path.join(model, 'config.json'), 'utf8'));
    fs.writeFileSync(path.join(model, 'config.json'), JSON.stringify({ ...cfg, revision: 2 }));
    const other = counting(await loadLocalTeacher({ model, kind: 'clip' }));
    expect(other.id).not.toBe(first.id);
    await runTeacher(other, { images: files(['g40.png']), cacheDir });
    expect(other.calls).toBe(1);
  });

  it('reports an image it cannot decode as that file\'s failure and judges the rest', async () => {
    const images = tmpDir();
    fs.writeFileSync(path.join(images, 'broken.png'), 'not a png at all');
    fs.writeFileSync(path.join(images, 'fine.png'), (await grey(90)).bytes);
    const teacher = await loadLocalTeacher({ model: tinyModel('vlm'), kind: 'vlm' });
    const r = await runTeacher(teacher, { images: [path.join(images, 'broken.png'), path.join(images, 'fine.png')], cacheDir: null });
    expect(r.points).toHaveLength(1);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.code).toBe('bad-image');
    expect(r.failures[0]!.message).toMatch(/cannot decode the image \(image\/png\)/);
    await teacher.dispose();
  });
});

describe('unusable model folders: each refused at load with its own reason', () => {
  it('a folder that does not exist', async () => {
    const err = await loadError(loadLocalTeacher({ model: path.join(tmpDir(), 'nope'), kind: 'clip' }));
    expect(err.code).toBe('missing-folder');
    expect(err.message).toMatch(/nope does not exist/);
  });

  it('missing files, named, with the list the kind needs', async () => {
    const err = await loadError(loadLocalTeacher({ model: tinyModel('vlm', { omit: ['tokenizer.json', 'onnx/embed_tokens.onnx'] }), kind: 'vlm' }));
    expect(err.code).toBe('missing-file');
    expect(err.message).toMatch(/lacks tokenizer\.json, onnx\/embed_tokens\.onnx \(a vlm folder needs .*onnx\/decoder_model_merged\.onnx\)/);
  });

  it('another precision present: says which --dtype loads it', async () => {
    const model = tinyModel('clip');
    fs.renameSync(path.join(model, 'onnx/model.onnx'), path.join(model, 'onnx/model_quantized.onnx'));
    const err = await loadError(loadLocalTeacher({ model, kind: 'clip' }));
    expect(err.code).toBe('missing-file');
    expect(err.message).toMatch(/lacks onnx\/model\.onnx .*the folder has the q8 files: pass --dtype q8/);
    const teacher = await loadLocalTeacher({ model, kind: 'clip', dtype: 'q8' });
    expect((await teacher.judgePoint(await grey(220))).score).toBeGreaterThan(3.5);
    await teacher.dispose();
  });

  it('a folder of the other kind', async () => {
    const asVlm = await loadError(loadLocalTeacher({ model: tinyModel('clip'), kind: 'vlm' }));
    expect(asVlm.code).toBe('wrong-kind');
    expect(asVlm.message).toMatch(/holds a CLIP-style model .*pass --kind clip/);
    const asClip = await loadError(loadLocalTeacher({ model: tinyModel('vlm'), kind: 'clip' }));
    expect(asClip.code).toBe('wrong-kind');
    expect(asClip.message).toMatch(/holds a vision-language model .*pass --kind vlm/);
  });

  it('config.json that is not JSON', async () => {
    const model = tinyModel('clip');
    fs.writeFileSync(path.join(model, 'config.json'), '{ "model_type": ');
    const err = await loadError(loadLocalTeacher({ model, kind: 'clip' }));
    expect(err.code).toBe('bad-config');
    expect(err.message).toMatch(/config\.json is not valid JSON/);
  });

  it.each(['clip', 'vlm'] as const)('%s: a preprocessor that makes another input size than the graph takes', async (kind) => {
    const err = await loadError(loadLocalTeacher({ model: tinyModel(kind, { processorImageSize: 16 }), kind }));
    expect(err.code).toBe('input-size');
    const file = kind === 'clip' ? 'onnx/model.onnx' : 'onnx/vision_encoder.onnx';
    expect(err.message).toContain(`${file} expects pixel_values of 3x8x8 but preprocessor_config.json makes 3x16x16`);
  });

  it.each([
    ['clip', 'onnx/model.onnx has no output logits_per_image (its outputs: similarity)'],
    ['vlm', 'onnx/decoder_model_merged.onnx has no output logits (its outputs: similarity)'],
  ] as const)('%s: a graph without the output the teacher reads', async (kind, message) => {
    const err = await loadError(loadLocalTeacher({ model: tinyModel(kind, { outputName: 'similarity' }), kind }));
    expect(err.code).toBe('missing-output');
    expect(err.message).toContain(message);
  });

  it('clip: a graph without the image input the processor feeds', async () => {
    const err = await loadError(loadLocalTeacher({ model: tinyModel('clip', { imageInputName: 'image' }), kind: 'clip' }));
    expect(err.code).toBe('missing-input');
    expect(err.message).toContain('onnx/model.onnx has no input pixel_values (its inputs: input_ids, image)');
  });

  it('vlm: a chat template that never places the image', async () => {
    const err = await loadError(loadLocalTeacher({ model: tinyModel('vlm', { templateWithoutImage: true }), kind: 'vlm' }));
    expect(err.code).toBe('no-image-tokens');
    expect(err.message).toMatch(/image tokens do not match the vision encoder's output .*tokens: 0, features 1/);
  });

  it('vlm: a tokenizer without the level words', async () => {
    const err = await loadError(loadLocalTeacher({ model: tinyModel('vlm', { dropWords: ['fair', 'poor'] }), kind: 'vlm' }));
    expect(err.code).toBe('no-level-words');
    expect(err.message).toMatch(/tokenizer\.json has no single token for the level words fair, poor/);
  });

  it('clip: a tokenizer that cannot spell the quality prompts', async () => {
    const err = await loadError(loadLocalTeacher({ model: tinyModel('clip', { dropWords: ['blurry'] }), kind: 'clip' }));
    expect(err.code).toBe('unknown-prompt-words');
    expect(err.message).toMatch(/cannot spell the quality prompts "a blurry photo\."/);
  });
});

describe('leaf teacher local', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    let code: number | undefined;
    const stream = (sink: string[]) => ({ write: (s: string, cb?: () => void) => (sink.push(String(s)), cb?.(), true) }) as unknown as NodeJS.WritableStream;
    const value: TeacherLiveIo = { stdout: stream(out), stderr: stream(err), env: {}, exit: (c) => void (code = c) };
    return { value, out, err, code: () => code };
  }

  it('writes {points, pairs} and the same cache as teacher live, and exits 2 for a folder of the wrong kind', async () => {
    const images = tmpDir();
    for (const v of [60, 190]) fs.writeFileSync(path.join(images, `g${v}.png`), (await grey(v)).bytes);
    const cacheDir = path.join(tmpDir(), 'cache');
    const model = tinyModel('vlm');
    const ok = io();
    await teacherLocalCommand(ok.value).parseAsync(['--model', model, '--kind', 'vlm', '--cache', cacheDir, '--pairs', 'adjacent', '--no-progress', images], { from: 'user' });
    expect(ok.code()).toBe(0);
    const result = JSON.parse(ok.out.join(''));
    expect(result.teacher).toMatch(/^local-vlm:tiny-vlm@/);
    expect(result.points).toHaveLength(2);
    expect(result.pairs).toHaveLength(1);
    expect(ok.err.join('')).toMatch(/2 point and 1 pair judgments from local-vlm:tiny-vlm@[0-9a-f]+, 0 failed/);
    const lines = fs.readFileSync(path.join(cacheDir, 'judgments.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.point).map((l) => l.key.split(':').slice(0, 2).join(':'))).toEqual(['point:local-vlm', 'point:local-vlm']);

    const wrong = io();
    await teacherLocalCommand(wrong.value).parseAsync(['--model', model, '--kind', 'clip', '--no-progress', images], { from: 'user' });
    expect(wrong.code()).toBe(2);
    expect(wrong.err.join('')).toMatch(/^leaf teacher local: .* pass --kind vlm\n$/);
  });
});
