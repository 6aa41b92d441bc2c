import { describe, expect, it } from 'vitest';
import { identityKey, readStoredFeatures, readStoredScore, recordContentKey, resultKey, scoreRecordKey, storedRecord } from './score-record.ts';

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
});
