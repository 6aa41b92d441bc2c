// The CLI scores a RAW file by its embedded preview: the same pixels as the preview JPEG itself, turned
// upright by the RAW's orientation when the preview has none of its own.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { tiffRaw } from '../../e2e/fixtures/raw-containers.ts';
import { decodeImageFile } from './decode-image.ts';

const photo = async () => {
  const pixels = Buffer.from(Array.from({ length: 900 * 700 * 3 }, (_, i) => (i * 7919) % 251));
  return new Uint8Array(await sharp(pixels, { raw: { width: 900, height: 700, channels: 3 } }).jpeg({ quality: 85 }).toBuffer());
};

describe('decoding RAW files in the CLI', () => {
  it('gives the preview JPEG pixels, upright', async () => {
    const preview = await photo();
    const plain = await decodeImageFile(preview, 'preview.jpg');
    const nef = await decodeImageFile(tiffRaw({ kind: 'nef', preview, bigEndian: true }), 'IMG_1.NEF');
    expect([nef.width, nef.height]).toEqual([900, 700]);
    expect(Buffer.from(nef.data).equals(Buffer.from(plain.data))).toBe(true);

    const portrait = await decodeImageFile(tiffRaw({ kind: 'dng', preview, orientation: 6 }), 'IMG_2.DNG');
    const rotated = await sharp(preview).rotate(90).raw().toBuffer({ resolveWithObject: true });
    expect([portrait.width, portrait.height]).toEqual([700, 900]);
    expect(Buffer.from(portrait.data).equals(rotated.data)).toBe(true);
  });
  it('names the file and the reason when there is nothing to score', async () => {
    await expect(decodeImageFile(tiffRaw({ kind: 'arw' }), 'DSC0001.ARW')).rejects.toThrow('DSC0001.ARW: ARW file without an embedded JPEG preview');
  });
});
