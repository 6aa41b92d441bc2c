import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { clippedShares, estimateJpegQuality, jpegLumaTable, measuredReasons } from './measured-reasons.ts';

const noise = (w: number, h: number) => Buffer.from(Array.from({ length: w * h * 3 }, (_, i) => 40 + ((i * 7919) % 170)));

describe('measured reasons', () => {
  it('reads the quality a JPEG was saved at (libjpeg/mozjpeg tables)', async () => {
    for (const q of [20, 35, 50, 75, 90]) {
      const jpeg = await sharp(noise(64, 64), { raw: { width: 64, height: 64, channels: 3 } }).jpeg({ quality: q, mozjpeg: false }).toBuffer();
      expect(estimateJpegQuality(jpegLumaTable(new Uint8Array(jpeg))!), `quality ${q}`).toBe(q);
    }
    expect(jpegLumaTable(new Uint8Array(await sharp(noise(8, 8), { raw: { width: 8, height: 8, channels: 3 } }).png().toBuffer()))).toBeNull();
  });
  it('counts blown and crushed pixels', () => {
    const data = new Uint8Array(100 * 3).fill(128);
    data.fill(255, 0, 30); // 10 white pixels
    data.fill(0, 30, 45); // 5 black pixels
    expect(clippedShares({ data, width: 10, height: 10, channels: 3 })).toEqual({ highlights: 0.1, shadows: 0.05 });
  });
  it('names only what stands out', async () => {
    const clean = await sharp(noise(64, 64), { raw: { width: 64, height: 64, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
    const pixels = { data: new Uint8Array(noise(64, 64)), width: 64, height: 64, channels: 3 as const };
    expect(measuredReasons(pixels, new Uint8Array(clean))).toEqual([]);
    const crushed = await sharp(noise(64, 64), { raw: { width: 64, height: 64, channels: 3 } }).jpeg({ quality: 30 }).toBuffer();
    const blown = { ...pixels, data: new Uint8Array(pixels.data).fill(255, 0, 64 * 10 * 3) };
    expect(measuredReasons(blown, new Uint8Array(crushed)).map((r) => r.text)).toEqual([
      'Blown highlights: 16% of the image is pure white',
      'Strong JPEG compression: saved at about quality 30 of 100',
    ]);
    expect(measuredReasons(pixels, new Uint8Array(clean), 0.3)).toEqual([]);
    expect(measuredReasons(pixels, new Uint8Array(clean), 1.26).map((r) => r.text)).toEqual([
      'Noise at 100%: about 1.3 levels of 255 in the smooth areas, hidden when the photo is seen whole',
    ]);
  });
});
