import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { cr3Raw, rafRaw, tiffRaw, type TiffRawKind } from '../../../e2e/fixtures/raw-containers.ts';
import { ImageDecodeError } from './image-error.ts';
import { findRawPreview, MIN_PREVIEW_SIDE, orientationTransform, orientPixels, rawKindOf } from './raw-preview.ts';

const jpeg = async (width: number, height: number, orientation?: number) => {
  const img = sharp({ create: { width, height, channels: 3, background: { r: 90, g: 140, b: 200 } } }).jpeg({ quality: 80 });
  return new Uint8Array(await (orientation ? img.withMetadata({ orientation }) : img).toBuffer());
};

let preview: Uint8Array;
let thumb: Uint8Array;
beforeAll(async () => {
  preview = await jpeg(1200, 800);
  thumb = await jpeg(160, 120);
});

const locate = (file: Uint8Array) => {
  const kind = rawKindOf(file.subarray(0, 256 * 1024));
  if (!kind) throw new Error('not recognised as RAW');
  return findRawPreview(file, kind);
};

describe('RAW previews', () => {
  for (const kind of ['nef', 'arw', 'dng', 'cr2', 'orf', 'rw2'] as TiffRawKind[]) {
    it(`finds the full preview of a ${kind.toUpperCase()}, not its thumbnail or its lossless sensor data`, () => {
      const file = tiffRaw({ kind, preview, thumb, orientation: 6, bigEndian: kind === 'nef' });
      const found = locate(file);
      expect(found).toMatchObject({ kind, width: 1200, height: 800, orientation: 6, length: preview.length });
      expect(file.subarray(found.offset, found.offset + found.length)).toEqual(preview);
    });
  }
  it('finds the PRVW JPEG of a CR3 and the preview a RAF header points to', () => {
    const cr3 = cr3Raw(preview, thumb);
    const inCr3 = locate(cr3);
    expect(inCr3).toMatchObject({ kind: 'cr3', width: 1200, height: 800 });
    expect(cr3.subarray(inCr3.offset, inCr3.offset + inCr3.length)).toEqual(preview);
    const raf = rafRaw(preview);
    expect(locate(raf)).toMatchObject({ kind: 'raf', offset: 160, length: preview.length, width: 1200 });
  });
  it('says why when there is only a thumbnail, or no preview at all', () => {
    expect(() => locate(tiffRaw({ kind: 'arw', thumb }))).toThrow(new ImageDecodeError('unsupported', `ARW file whose embedded preview is only 160x120: too small to judge its quality (export a JPEG from your RAW editor)`));
    expect(() => locate(tiffRaw({ kind: 'nef' }))).toThrow(/NEF file without an embedded JPEG preview/);
    expect(160).toBeLessThan(MIN_PREVIEW_SIDE);
  });
  it('recognises no RAW in a JPEG, a plain TIFF or a truncated header', async () => {
    expect(rawKindOf(preview)).toBeNull();
    const tiff = new Uint8Array(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).tiff().toBuffer());
    expect(rawKindOf(tiff)).toBeNull();
    expect(rawKindOf(tiffRaw({ kind: 'nef', preview }).subarray(0, 12))).toBeNull();
  });
  it('passes over a preview that a truncated file no longer holds, and says so', () => {
    const file = tiffRaw({ kind: 'dng', preview, thumb });
    const cut = file.subarray(0, locate(file).offset + 100);
    expect(() => locate(cut)).toThrow(/DNG file without an embedded JPEG preview/);
  });
});

describe('orientPixels', () => {
  it('turns pixels upright exactly as sharp does for every EXIF orientation', async () => {
    // A 5x3 image with distinct pixels.
    const data = Buffer.from(Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 37) % 256));
    const png = await sharp(data, { raw: { width: 5, height: 3, channels: 3 } }).png().toBuffer();
    for (let o = 1; o <= 8; o++) {
      const tagged = await sharp(png).withMetadata({ orientation: o }).png().toBuffer();
      const stored = await sharp(tagged).raw().toBuffer({ resolveWithObject: true });
      const upright = await sharp(tagged).rotate().raw().toBuffer({ resolveWithObject: true });
      const mine = orientPixels({ data: new Uint8Array(stored.data), width: stored.info.width, height: stored.info.height, channels: 3 }, o);
      expect([mine.width, mine.height], `orientation ${o}`).toEqual([upright.info.width, upright.info.height]);
      expect(Array.from(mine.data), `orientation ${o}`).toEqual(Array.from(upright.data));
    }
  });
});

describe('orientationTransform', () => {
  it('maps every stored pixel where orientPixels puts it', () => {
    const [w, h] = [5, 3];
    const data = Uint8Array.from({ length: w * h * 3 }, (_, i) => Math.floor(i / 3));
    for (let o = 1; o <= 8; o++) {
      const upright = orientPixels({ data, width: w, height: h, channels: 3 }, o);
      const { width, height, matrix: [a, b, c, d, e, f] } = orientationTransform(o, w, h);
      expect([width, height]).toEqual([upright.width, upright.height]);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          // The centre of stored pixel (x, y) lands at the centre of an upright pixel.
          const [cx, cy] = [x + 0.5, y + 0.5];
          const [ux, uy] = [a * cx + c * cy + e - 0.5, b * cx + d * cy + f - 0.5];
          expect(upright.data[(uy * width + ux) * 3], `orientation ${o} at ${x},${y}`).toBe(y * w + x);
        }
      }
    }
  });
});
