// Photos over ~1 MP are first halved here on bytes (2x2 means rounded to uint8, RGB out), the halvings
// toModelInput would apply anyway, so its float work never covers a 12-24 MP photo. The result equals
// toModelInput's own halvings up to uint8 rounding (<= 0.5/255 per step); the shipped heads were trained on
// features made this way, so worker, CLI and training all call it before toModelInput. Pure, unit-tested.
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

/** Pixels for the model: the halvings toModelInput would apply while the image is over `above` pixels. */
export function shrinkForModel(p: Pixels, spec: ResizeSpec, above = SHRINK_ABOVE_PIXELS): Pixels {
  const [th, tw] = targetSize(p.width, p.height, spec);
  let cur = p;
  while (cur.width * cur.height > above && cur.height >= 2 * th && cur.width >= 2 * tw) cur = halve(cur);
  return cur;
}
