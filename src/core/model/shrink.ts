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
  // Channels unrolled and offsets stepped rather than recomputed: this loop runs over every pixel of a
  // full-size photo (12-24 MP).
  for (let y = 0; y < h; y++) {
    let a = 2 * y * row;
    let b = a + row;
    let o = y * w * 3;
    for (let x = 0; x < w; x++, a += 2 * c, b += 2 * c, o += 3) {
      out[o] = (src[a]! + src[a + c]! + src[b]! + src[b + c]! + 2) >> 2;
      out[o + 1] = (src[a + 1]! + src[a + c + 1]! + src[b + 1]! + src[b + c + 1]! + 2) >> 2;
      out[o + 2] = (src[a + 2]! + src[a + c + 2]! + src[b + 2]! + src[b + c + 2]! + 2) >> 2;
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
