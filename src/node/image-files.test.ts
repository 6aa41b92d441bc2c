import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectImageFiles, ImagePathError, JPEG_EXTENSIONS, listImageFiles, mimeForPath } from './image-files.ts';

function tree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-images-'));
  for (const f of ['img10.jpg', 'img2.JPG', 'a.png', 'notes.txt', 'sub/b.webp', 'sub/c.jpeg']) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), 'x');
  }
  return dir;
}

describe('image files', () => {
  it('knows image types by extension, in any case', () => {
    expect(mimeForPath('x/photo.JPEG')).toBe('image/jpeg');
    expect(mimeForPath('notes.txt')).toBeUndefined();
  });

  it('lists a folder in natural order, optionally recursive and by extension', () => {
    const dir = tree();
    const names = (files: string[]) => files.map((f) => path.relative(dir, f));
    expect(names(listImageFiles(dir))).toEqual(['a.png', 'img2.JPG', 'img10.jpg']);
    expect(names(listImageFiles(dir, { recursive: true }))).toEqual(['a.png', 'img2.JPG', 'img10.jpg', path.join('sub', 'b.webp'), path.join('sub', 'c.jpeg')]);
    expect(names(listImageFiles(dir, { recursive: true, extensions: JPEG_EXTENSIONS }))).toEqual(['img2.JPG', 'img10.jpg', path.join('sub', 'c.jpeg')]);
  });

  it('collects files and folders once each, and names a bad path', () => {
    const dir = tree();
    const files = collectImageFiles([path.join(dir, 'a.png'), dir]);
    expect(files.length).toBe(5);
    expect(() => collectImageFiles([path.join(dir, 'missing.jpg')])).toThrow(ImagePathError);
    expect(() => collectImageFiles([path.join(dir, 'notes.txt')])).toThrow(/not a supported image/);
  });
});
