import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { orientedSize, sniffImage } from './image-header.ts';

const base = () => sharp({ create: { width: 37, height: 23, channels: 3, background: { r: 200, g: 100, b: 50 } } });
const bytes = async (img: Sharp) => new Uint8Array(await img.toBuffer());

describe('sniffImage', () => {
  it('reads JPEG size and EXIF orientation', async () => {
    const plain = sniffImage(await bytes(base().jpeg()));
    expect(plain).toEqual({ format: 'jpeg', width: 37, height: 23, orientation: 1 });
    const rotated = sniffImage(await bytes(base().withMetadata({ orientation: 6 }).jpeg()));
    expect(rotated).toMatchObject({ format: 'jpeg', width: 37, height: 23, orientation: 6 });
    expect(orientedSize(rotated)).toEqual({ width: 23, height: 37 });
  });

  it('reads PNG, GIF, WebP (lossy, lossless, extended) and AVIF sizes', async () => {
    expect(sniffImage(await bytes(base().png()))).toMatchObject({ format: 'png', width: 37, height: 23 });
    expect(sniffImage(await bytes(base().gif()))).toMatchObject({ format: 'gif', width: 37, height: 23 });
    expect(sniffImage(await bytes(base().webp({ quality: 50 })))).toMatchObject({ format: 'webp', width: 37, height: 23 });
    expect(sniffImage(await bytes(base().webp({ lossless: true })))).toMatchObject({ format: 'webp', width: 37, height: 23 });
    expect(sniffImage(await bytes(base().ensureAlpha(0.5).webp({ quality: 50 })))).toMatchObject({ format: 'webp', width: 37, height: 23 });
    expect(sniffImage(await bytes(base().avif({ effort: 0 })))).toMatchObject({ format: 'avif', width: 37, height: 23 });
  });

  it('reads a huge size from the header alone', () => {
    const png = new Uint8Array(24);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(png.buffer).setUint32(16, 10000);
    new DataView(png.buffer).setUint32(20, 10000);
    expect(sniffImage(png)).toMatchObject({ format: 'png', width: 10000, height: 10000 });
  });

  it('recognises text and unknown bytes, and survives truncation', async () => {
    expect(sniffImage(new TextEncoder().encode('These are my holiday notes.\n')).format).toBe('text');
    expect(sniffImage(new TextEncoder().encode('ünïcödé text ✓')).format).toBe('text');
    expect(sniffImage(new Uint8Array([0, 1, 2, 3, 0, 200, 7])).format).toBe('unknown');
    expect(sniffImage(new Uint8Array(0)).format).toBe('unknown');
    const jpeg = await bytes(base().jpeg());
    for (const n of [3, 4, 10, 20, 100]) expect(sniffImage(jpeg.subarray(0, n)).format).toBe('jpeg');
    expect(sniffImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff, 0xff]))).toMatchObject({ format: 'jpeg', width: null });
  });
});
