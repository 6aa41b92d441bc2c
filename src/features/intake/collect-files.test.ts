import { describe, expect, it } from 'vitest';
import { filesFromList, isImageName } from './collect-files.ts';

describe('collecting files', () => {
  it('recognises image names, case-insensitively, and skips hidden files', () => {
    expect(isImageName('IMG_001.JPG')).toBe(true);
    expect(isImageName('a.avif')).toBe(true);
    expect(isImageName('notes.txt')).toBe(false);
    expect(isImageName('.DS_Store')).toBe(false);
    expect(isImageName('._photo.jpg')).toBe(false);
  });

  it('keeps every picked file, but only images from a folder, with their relative paths', () => {
    const a = new File(['x'], 'a.jpg');
    const t = new File(['x'], 'notes.txt');
    Object.defineProperty(a, 'webkitRelativePath', { value: 'album/a.jpg' });
    Object.defineProperty(t, 'webkitRelativePath', { value: 'album/notes.txt' });
    expect(filesFromList([a, t], false).map((f) => f.path)).toEqual(['a.jpg', 'notes.txt']);
    expect(filesFromList([a, t], true).map((f) => f.path)).toEqual(['album/a.jpg']);
  });
});
