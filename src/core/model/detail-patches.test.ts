import { describe, expect, it } from 'vitest';
import { parseManifest } from './manifest.ts';
import { blendFeatures, cropRgb, pickPatches, wantsPatches } from './detail-patches.ts';
import type { Pixels } from './preprocess.ts';
import fs from 'node:fs';
import path from 'node:path';

const spec = { count: 4, size: 64, weight: 0.5, minScale: 2 };

/** Flat grey RGBA image with a noisy (high-contrast) square at (qx, qy) of the 64-px grid. */
function imageWithDetailAt(w: number, h: number, cells: [number, number][]): Pixels {
  const data = new Uint8Array(w * h * 4).fill(128);
  let seed = 1;
  for (const [qx, qy] of cells) {
    for (let y = qy * 64; y < qy * 64 + 64; y++) for (let x = qx * 64; x < qx * 64 + 64; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      data.fill(seed >>> 24, 4 * (y * w + x), 4 * (y * w + x) + 3);
    }
  }
  return { data, width: w, height: h, channels: 4 };
}

describe('detail patches', () => {
  it('are wanted only for images much larger than the global view', () => {
    expect(wantsPatches({ width: 512, height: 512 }, 512, spec)).toBe(false);
    expect(wantsPatches({ width: 1024, height: 700 }, 512, spec)).toBe(false);
    expect(wantsPatches({ width: 4000, height: 3000 }, 512, spec)).toBe(true);
    expect(wantsPatches({ width: 4000, height: 40 }, 512, spec)).toBe(false); // too thin for one patch
  });

  it('go where the detail is, best first, without overlapping', () => {
    const img = imageWithDetailAt(640, 384, [[3, 2], [7, 0], [1, 4], [9, 5]]);
    const boxes = pickPatches(img, spec);
    expect(boxes).toHaveLength(4);
    expect(boxes.map((b) => `${b.x / 64},${b.y / 64}`).sort()).toEqual(['1,4', '3,2', '7,0', '9,5']);
    for (let i = 1; i < boxes.length; i++) expect(boxes[i - 1]!.contrast).toBeGreaterThanOrEqual(boxes[i]!.contrast);
  });

  it('crop RGB at 1:1 and blend features by weight', () => {
    const img = imageWithDetailAt(640, 384, [[3, 2]]);
    const crop = cropRgb(img, { x: 192, y: 128, size: 64 });
    expect([crop.width, crop.height, crop.channels]).toEqual([64, 64, 3]);
    expect(Array.from(crop.data.subarray(0, 3))).toEqual(Array.from(img.data.subarray(4 * (128 * 640 + 192), 4 * (128 * 640 + 192) + 3)));
    const g = Float32Array.of(1, 2);
    expect(blendFeatures(g, [], 0.5)).toBe(g);
    expect(Array.from(blendFeatures(g, [Float32Array.of(3, 4), Float32Array.of(5, 6)], 0.5))).toEqual([2.5, 3.5]);
  });

  it('a manifest with a bad detail spec is refused, naming the field', () => {
    const shipped = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../models/leaf-mnv2-140/manifest.json'), 'utf8'));
    const withDetail = (detail: unknown) => ({ ...shipped, input: { ...shipped.input, modes: { ...shipped.input.modes, accurate: { ...shipped.input.modes.accurate, detail } } } });
    expect(() => parseManifest(withDetail(spec))).not.toThrow();
    expect(() => parseManifest(withDetail({ ...spec, count: 0 }))).toThrow(/input\.modes\.accurate\.detail\.count/);
    expect(() => parseManifest(withDetail({ ...spec, weight: 2 }))).toThrow(/detail\.weight/);
  });
});
