// HEIC with HEVC inside (what phones write): sharp's prebuilt libvips cannot decode it, so the CLI uses
// libheif in wasm, as the app's worker does. Files are encoded from real photos by libheif's heif-enc.
import fs from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeHeic, heifEncAvailable, NO_HEIF_ENC } from '../../e2e/fixtures/heic.ts';
import { hasSharedData, SHARED_DATA } from './datasets.ts';
import { decodeImageFile } from './decode-image.ts';

const photo = `${SHARED_DATA}/biq2021/images/ss01 (1000).jpg`;

describe.skipIf(!hasSharedData() || !heifEncAvailable())('decoding HEIC in the CLI', () => {
  it('gives the photo back (HEVC at quality 90: close to the source pixels)', async () => {
    const heic = encodeHeic(photo, 'photo.heic', undefined, 90);
    const [decoded, source] = await Promise.all([decodeImageFile(heic), sharp(photo).raw().toBuffer({ resolveWithObject: true })]);
    expect([decoded.width, decoded.height, decoded.channels]).toEqual([source.info.width, source.info.height, 3]);
    let diff = 0;
    for (let i = 0; i < decoded.data.length; i++) diff += Math.abs(decoded.data[i]! - source.data[i]!);
    expect(diff / decoded.data.length).toBeLessThan(4);
  });
  it('names a truncated file as a corrupt HEIC', async () => {
    const bytes = fs.readFileSync(encodeHeic(photo, 'cut.heic'));
    await expect(decodeImageFile(new Uint8Array(bytes.subarray(0, Math.floor(bytes.length / 2))), 'cut.heic')).rejects.toThrow(/^cut\.heic: Corrupt or truncated HEIC\/HEIF file/);
  });
});

it.skipIf(heifEncAvailable())('HEIC tests need heif-enc', () => {
  console.warn(NO_HEIF_ENC);
});
