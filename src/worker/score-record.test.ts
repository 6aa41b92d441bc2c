import { describe, expect, it } from 'vitest';
import {
  folderRecordRange,
  identityKey,
  newestPerPath,
  readFolderSnapshot,
  readStoredFeatures,
  readStoredScore,
  recordContentKey,
  recordIdentity,
  resultKey,
  scoreRecordKey,
  storedRecord,
  topFolder,
} from './score-record.ts';

const good = {
  score: 3.2,
  probs: [0.1, 0.2, 0.4, 0.2, 0.1],
  width: 640,
  height: 480,
  downscaledFrom: null,
  format: 'jpeg',
  hasThumb: true,
  patches: [],
  embedding: 'abc',
  backend: 'wasm',
};

describe('score store records', () => {
  it('reads back a record written for this feature length', () => {
    expect(readStoredScore(good)).toEqual({ ...good, capturedAt: null });
    expect(readStoredScore({ ...good, capturedAt: 1700000000250 })?.capturedAt).toBe(1700000000250);
    expect(readStoredFeatures(new Float32Array(8), 8)).toHaveLength(8);
  });
  it('treats a record of another model or a damaged one as a miss', () => {
    expect(readStoredFeatures(new Float32Array(8), 9)).toBeNull();
    expect(readStoredFeatures(Array.from({ length: 8 }, () => 0), 8)).toBeNull();
    expect(readStoredScore({ ...good, embedding: undefined })).toBeNull();
    expect(readStoredScore({ ...good, score: Number.NaN })).toBeNull();
    expect(readStoredScore({ ...good, probs: [0.5, 0.5] })).toBeNull();
    expect(readStoredScore({ ...good, hasThumb: undefined })).toBeNull();
    expect(readStoredScore('3.2')).toBeNull();
    expect(readStoredScore(undefined)).toBeNull();
  });
  it('keys results by model version, mode and content, and files by name, size and time', () => {
    expect(resultKey('abc', 'fast', 'f00d')).not.toBe(resultKey('abc', 'accurate', 'f00d'));
    expect(resultKey('abc', 'fast', 'f00d')).not.toBe(resultKey('abd', 'fast', 'f00d'));
    const file = new File(['x'], 'IMG_1.jpg', { lastModified: 1700000000000 });
    expect(identityKey(file)).toBe('IMG_1.jpg|1|1700000000000');
    expect(identityKey(new File(['xy'], 'IMG_1.jpg', { lastModified: 1700000000000 }))).not.toBe(identityKey(file));
    expect(identityKey(new Blob(['x']))).toBeNull();
    // A lookup may carry only the file's name, size and date: the same key as the File's.
    expect(identityKey({ name: 'IMG_1.jpg', size: 1, lastModified: 1700000000000 })).toBe(identityKey(file));
  });
  it('writes a file record under its identity (or its content), with the keys it is found by, and reads back the score alone', () => {
    const at = (path: string, mtime = 1700000000000) => ({ file: new File(['x'], path.split('/').pop()!, { lastModified: mtime }), path });
    const a = at('shoot/IMG_1.jpg');
    expect(scoreRecordKey('abc', 'fast', a, 'f00d')).not.toBe(scoreRecordKey('abc', 'accurate', a, 'f00d'));
    // A folder's records are neighbours in name order, apart from another folder's files of the same names.
    const shoot = ['IMG_1.jpg', 'IMG_2.jpg', 'IMG_3.jpg'].map((n, i) => scoreRecordKey('abc', 'fast', at(`shoot/${n}`, 1800000000000 - i), 'k'));
    const copy = ['IMG_1.jpg', 'IMG_2.jpg'].map((n) => scoreRecordKey('abc', 'fast', at(`shoot-copy/${n}`), 'k'));
    const sorted = [...copy, ...shoot].sort();
    const first = sorted.indexOf(shoot[0]!);
    expect(shoot.map((k) => sorted.indexOf(k))).toEqual([first, first + 1, first + 2]);
    // Without a path, the file's name.
    expect(scoreRecordKey('abc', 'fast', { file: a.file }, 'k')).toBe('abc|fast|IMG_1.jpg|1|1700000000000');
    expect(scoreRecordKey('abc', 'fast', { file: new Blob(['x']) }, 'f00d')).toBe('abc|fast|#f00d');
    expect(scoreRecordKey('abc', 'fast', { file: { name: 'IMG_1.jpg', size: 1, lastModified: 1700000000000 }, path: 'shoot/IMG_1.jpg' }, 'k')).toBe(scoreRecordKey('abc', 'fast', a, 'k'));
    const record = storedRecord(readStoredScore(good)!, 'abc', 'fast', 'f00d');
    expect(record).toMatchObject({ contentKey: 'f00d', resultKey: resultKey('abc', 'fast', 'f00d') });
    expect(recordContentKey(record)).toBe('f00d');
    expect(recordContentKey(good)).toBeUndefined();
    expect(readStoredScore(record)).toEqual({ ...good, capturedAt: null });
  });
  it("finds a folder's records by their keys alone: the range holds its files and subfolders, and each key gives back the path, size and date", () => {
    const key = (path: string, size = 1, mtime = 1700000000000, mode: 'fast' | 'accurate' = 'fast') =>
      scoreRecordKey('abc', mode, { file: { name: path.split('/').pop()!, size, lastModified: mtime }, path }, 'k');
    const { lower, upper } = folderRecordRange('abc', 'fast', 'shoot');
    const inside = (k: string) => k >= lower && k <= upper;
    expect(['shoot/IMG_1.jpg', 'shoot/day2/IMG_9.jpg', 'shoot/a|b.jpg'].map((p) => inside(key(p)))).toEqual([true, true, true]);
    // Not another folder whose name starts the same, not another mode's, not a content-keyed record.
    expect([key('shoot-copy/IMG_1.jpg'), key('shoots/IMG_1.jpg'), key('shoot/IMG_1.jpg', 1, 1, 'accurate'), scoreRecordKey('abc', 'fast', { file: new Blob(['x']) }, 'f00d')].some(inside)).toBe(false);
    expect(recordIdentity(key('shoot/day2/IMG_9.jpg', 123, 1700000000001), 'abc', 'fast')).toEqual({ path: 'shoot/day2/IMG_9.jpg', size: 123, lastModified: 1700000000001 });
    expect(recordIdentity(key('shoot/a|b.jpg'), 'abc', 'fast')).toEqual({ path: 'shoot/a|b.jpg', size: 1, lastModified: 1700000000000 });
    expect(recordIdentity(key('#2024 wedding/a.jpg'), 'abc', 'fast')).toEqual({ path: '#2024 wedding/a.jpg', size: 1, lastModified: 1700000000000 });
    expect(recordIdentity(scoreRecordKey('abc', 'fast', { file: new Blob(['x']) }, 'f00d'), 'abc', 'fast')).toBeNull();
    expect(recordIdentity(key('shoot/IMG_1.jpg'), 'abd', 'fast')).toBeNull();
  });
  it("keeps one record per path of a folder's range (the newest), and reads back a folder's records kept together only when all are sound", () => {
    const at = (path: string, size: number, mtime: number) => scoreRecordKey('abc', 'fast', { file: { name: path.split('/').pop()!, size, lastModified: mtime }, path }, 'k');
    const record = (contentKey: string) => storedRecord(readStoredScore(good)!, 'abc', 'fast', contentKey);
    // a.jpg edited once (two records), b.jpg damaged, c.jpg content-keyed (not a folder file).
    const keys = [at('shoot/a.jpg', 1, 100), at('shoot/a.jpg', 2, 200), at('shoot/b.jpg', 1, 100), 'abc|fast|#c0ffee', at('shoot/day2/d.jpg', 3, 300)];
    const values = [record('a-old'), record('a-new'), { score: 'broken' }, record('c'), record('d')];
    const kept = newestPerPath(keys, values, 'abc', 'fast');
    expect(kept.map((k) => [k.path, k.size, k.lastModified, k.contentKey])).toEqual([
      ['shoot/a.jpg', 2, 200, 'a-new'],
      ['shoot/day2/d.jpg', 3, 300, 'd'],
    ]);
    expect(kept[0]!.stored).toEqual({ ...good, capturedAt: null });
    // Written as is and read back: the same; anything unsound: null (the range is read instead).
    expect(readFolderSnapshot(structuredClone(kept))).toEqual(kept);
    expect(readFolderSnapshot([])).toEqual([]);
    expect(readFolderSnapshot({ 0: kept[0] })).toBeNull();
    expect(readFolderSnapshot([...kept, { ...kept[0]!, size: 'x' }])).toBeNull();
    expect(readFolderSnapshot([{ ...kept[0]!, stored: { score: 1 } }])).toBeNull();
    expect(readFolderSnapshot([null])).toBeNull();
    expect([topFolder('shoot/day2/d.jpg'), topFolder('shoot/a.jpg'), topFolder('a.jpg'), topFolder(undefined)]).toEqual(['shoot', 'shoot', null, null]);
  });
});
