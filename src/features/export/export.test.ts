import { beforeEach, describe, expect, it } from 'vitest';
import { resetStore, useLeaf } from '../../store/store.ts';
import { exportContext, exportRows } from './export-rows.ts';
import { csvField } from '../../core/data/csv.ts';
import { CSV_COLUMNS, TEACHER_CSV_COLUMNS, toCsv } from './to-csv.ts';
import { toJsonExport } from './to-json.ts';

const s = () => useLeaf.getState();

function seed() {
  s().engineReady({
    backend: { backend: 'wasm', forced: false, reason: 'WebGPU unavailable: no adapter', skipped: [], detail: 'SIMD, 1 thread' },
    model: { name: 'leaf-mnv2-140', version: 'abc', output: { name: 'student quality', min: 1, max: 5, description: '' }, defaultMode: 'fast', bytes: 1 },
    timings: { backendMs: 1, loadMs: 1, warmUpMs: 1, readyAtMs: 0 },
  });
  s().addImages([
    { id: '1', name: 'beach, "sunset".jpg', path: 'trip/beach, "sunset".jpg' },
    { id: '2', name: 'ss01 (12).jpg', path: 'ss01 (12).jpg' },
    { id: '3', name: 'bad.jpg', path: 'bad.jpg' },
  ]);
  const probs = [0.5, 0.25, 0.125, 0.0625, 0.0625] as const;
  s().applyUpdates([
    { id: '1', kind: 'scored', score: { raw: 4.123456789, probs, mode: 'accurate', backend: 'wasm', modelVersion: 'abc' }, width: 512, height: 384, downscaledFrom: null, format: 'jpeg', hasThumb: false, contentKey: 'key-1', capturedAt: null, embedding: 'abcd' },
    { id: '2', kind: 'scored', score: { raw: 2.5, probs, mode: 'fast', backend: 'wasm', modelVersion: 'abc' }, width: 512, height: 512, downscaledFrom: null, format: 'jpeg', hasThumb: false, contentKey: 'key-2', capturedAt: null, embedding: 'abcd' },
    { id: '3', kind: 'failed', error: { code: 'empty', message: 'Empty file (0 bytes)' } },
  ]);
}

beforeEach(() => {
  resetStore();
  seed();
});

describe('CSV export', () => {
  it('quotes fields with commas, quotes, line breaks or edge spaces, and nothing else', () => {
    expect(csvField('plain name.jpg')).toBe('plain name.jpg');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' lead')).toBe('" lead"');
    expect(csvField(null)).toBe('');
    expect(csvField(0.1 + 0.2)).toBe('0.3');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('has a header with name and score and one CRLF row per scored image, in the shown order', () => {
    s().setSort('score', 'desc');
    const csv = toCsv(exportRows(s()), exportContext(s())!);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines[0]!.startsWith('name,score,')).toBe(true);
    expect(lines).toHaveLength(4); // header, 2 scored rows, trailing empty
    expect(lines[1]).toMatch(/^"beach, ""sunset"".jpg",4\.123457,student quality 1-5,4\.123457,accurate,wasm,abc,"trip\/beach, ""sunset"".jpg",512,384,0\.5,0\.25,0\.125,0\.0625,0\.0625,0,,$/);
    expect(lines[2]!.startsWith('ss01 (12).jpg,2.5,')).toBe(true);
  });

  it('adds the local teacher\'s judgment as two columns once it has judged an image, empty where it has not', () => {
    expect(toCsv(exportRows(s()), exportContext(s())!).split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    s().patchTeacher({ status: 'ready', info: { folder: 'clip', id: 'local-clip:clip@abc', kind: 'clip', dtype: 'fp32', device: 'wasm', loadMs: 1 } });
    s().addTeacherJudgment('key-2', { score: 3.25, reliability: 0.5 }, false);
    s().setSort('score', 'desc');
    const lines = toCsv(exportRows(s()), exportContext(s())!).split('\r\n');
    expect(lines[0]).toBe([...CSV_COLUMNS, ...TEACHER_CSV_COLUMNS].join(','));
    expect(lines[1]!.endsWith(',0,,,,')).toBe(true); // beach: not judged
    expect(lines[2]!.endsWith(',3.25,0.5')).toBe(true);
    const json = toJsonExport(exportRows(s()), exportContext(s())!, new Date(0));
    expect(json.teacher).toBe('local-clip:clip@abc');
    expect(json.images.map((r) => r.teacher)).toEqual([null, { score: 3.25, reliability: 0.5 }, null]);
  });

  it('carries the culling decision of each image', () => {
    const key = s().images.byId[s().images.order[0]!]!.contentKey!;
    s().decide([{ keys: [key], edit: { stars: 4 } }, { keys: [key], edit: { flag: 'pick' } }], 'hand');
    const rows = exportRows(s());
    const row = rows.find((r) => r.path === s().images.byId[s().images.order[0]!]!.path)!;
    expect(row).toMatchObject({ stars: 4, flag: 'pick' });
    expect(toCsv(rows, exportContext(s())!)).toContain(',4,pick\r\n');
  });

  it('exports only what the filter shows', () => {
    s().setFilter({ min: 3 });
    const csv = toCsv(exportRows(s()), exportContext(s())!);
    expect(csv.trim().split('\r\n')).toHaveLength(2);
  });
});

describe('JSON export', () => {
  it('carries model, backend, mode, scale, calibration profile id and every shown image with level probabilities', () => {
    const json = toJsonExport(exportRows(s()), exportContext(s())!, new Date('2026-01-02T03:04:05Z'));
    expect(json).toMatchObject({
      format: 'leaf-scores',
      exportedAt: '2026-01-02T03:04:05.000Z',
      model: { name: 'leaf-mnv2-140', version: 'abc' },
      backend: { name: 'wasm', reason: 'WebGPU unavailable: no adapter' },
      mode: 'fast',
      scale: { name: 'student quality', min: 1, max: 5 },
      calibrationProfileId: null,
      counts: { images: 3, scored: 2, failed: 1 },
    });
    expect(json.images[0]).toMatchObject({ name: 'beach, "sunset".jpg', score: 4.123456789, modelScore: 4.123456789, mode: 'accurate', probs: { excellent: 0.5, bad: 0.0625 } });
    expect(json.images[2]).toMatchObject({ name: 'bad.jpg', status: 'failed', score: null, error: { code: 'empty' } });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
