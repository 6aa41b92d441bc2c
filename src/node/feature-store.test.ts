import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeatureStore } from './feature-store.ts';

describe('FeatureStore', () => {
  it('resumes after a crash mid-row: the torn row and name are dropped, complete rows kept', () => {
    const base = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-fs-')), 'x');
    const s = new FeatureStore(base, 3);
    s.append('a.jpg', new Float32Array([1, 2, 3]));
    s.append('b.jpg', new Float32Array([4, 5, 6]));
    fs.appendFileSync(`${base}.f32`, new Uint8Array(new Float32Array([7, 8]).buffer)); // torn data row
    fs.appendFileSync(`${base}.names`, '"c.j'); // torn name line
    const reopened = new FeatureStore(base, 3);
    expect([...reopened.done.keys()]).toEqual(['a.jpg', 'b.jpg']);
    expect(Array.from(reopened.read().data)).toEqual([1, 2, 3, 4, 5, 6]);
    reopened.append('c.jpg', new Float32Array([7, 8, 9]));
    expect(new FeatureStore(base, 3).read().names).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
  });
});
