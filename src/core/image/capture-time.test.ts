import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { tiffRaw } from '../../../e2e/fixtures/raw-containers.ts';
import { captureTime } from './capture-time.ts';

const jpeg = (exif?: Record<string, Record<string, string>>) => {
  const img = sharp({ create: { width: 16, height: 12, channels: 3, background: '#777' } }).jpeg();
  return (exif ? img.withExif(exif) : img).toBuffer().then((b) => new Uint8Array(b));
};

describe('captureTime', () => {
  it('reads DateTimeOriginal with its sub-seconds from a JPEG', async () => {
    const bytes = await jpeg({ IFD0: { Make: 'Test' }, IFD2: { DateTimeOriginal: '2026:11:28 10:00:01', SubSecTimeOriginal: '25' } });
    expect(captureTime(bytes)).toBe(Date.UTC(2026, 10, 28, 10, 0, 1) + 250);
  });
  it('is null when the file records no time, or is not a JPEG/TIFF', async () => {
    expect(captureTime(await jpeg())).toBeNull();
    expect(captureTime(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
    expect(captureTime(tiffRaw({ kind: 'nef' }))).toBeNull();
  });
});
