// Big photos (a 12 MP phone picture) would make toModelInput build several full-size int32/float32 tensors
// at once (~60 bytes per pixel in the wasm heap, which never shrinks again). The model only ever sees the
// image after toModelInput's 2x2 average-pooling halvings, so imageFeatures (worker, CLI and training alike)
// performs the first of those same halvings here on bytes, in JS, and hands over an image of at most ~1 MP. Result: identical to
// toModelInput's own avgPool steps up to uint8 rounding (<= 0.5/255 per step). It also drops the alpha
// channel here: toModelInput would otherwise slice RGBA -> RGB with TF.js's Slice, which on wasm is a JS
// loop costing ~15% of the per-image time (profiled). Pure, unit-tested.
import { type Pixels, type ResizeSpec, targetSize } from './preprocess.ts';

/** Images at or under this many pixels go to the model untouched. */
export const SHRINK_ABOVE_PIXELS = 1 << 20;

/** One 2x2 mean halving; an odd last row/column is dropped, as avgPool(2, 2, 'valid') does. Output is RGB. */
export function halve(p: Pixels): Pixels {
  const w = p.width >> 1;
  const h = p.height >> 1;
  const c = p.channels;
  const src = p.data;
  const out = new Uint8Array(w * h * 3);
  const row = p.width * c;
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * row;
    const r1 = r0 + row;
    for (let x = 0; x < w; x++) {
      const a = r0 + 2 * x * c;
      const b = r1 + 2 * x * c;
      const o = (y * w + x) * 3;
      for (let k = 0; k < 3; k++) {
        out[o + k] = (src[a + k]! + src[a + c + k]! + src[b + k]! + src[b + c + k]! + 2) >> 2;
      }
    }
  }
  return { data: out, width: w, height: h, channels: 3 };
}

/** Packed RGB bytes (alpha dropped, as toModelInput would). */
export function toRgb(p: Pixels): Pixels {
  if (p.channels === 3) return p;
  const n = p.width * p.height;
  const out = new Uint8Array(n * 3);
  const src = p.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    out[3 * i] = src[j]!;
    out[3 * i + 1] = src[j + 1]!;
    out[3 * i + 2] = src[j + 2]!;
  }
  return { data: out, width: p.width, height: p.height, channels: 3 };
}

/** RGB pixels for the model: the halvings toModelInput would apply while the image is over `above` pixels. */
export function shrinkForModel(p: Pixels, spec: ResizeSpec, above = SHRINK_ABOVE_PIXELS): Pixels {
  const [th, tw] = targetSize(p.width, p.height, spec);
  let cur = p;
  while (cur.width * cur.height > above && cur.height >= 2 * th && cur.width >= 2 * tw) cur = halve(cur);
  return toRgb(cur);
}
