// Photos over ~1 MP are first halved here on bytes (2x2 means rounded to uint8, RGB out), the halvings
// toModelInput would apply anyway, so its float work never covers a 12-24 MP photo. The result equals
// toModelInput's own halvings up to uint8 rounding (<= 0.5/255 per step); the shipped heads were trained on
// features made this way, so worker, CLI and training all call it before toModelInput. Pure, unit-tested.
import { type Pixels, type ResizeSpec, targetSize } from './preprocess.ts';

/** Images at or under this many pixels go to the model untouched. */
export const SHRINK_ABOVE_PIXELS = 1 << 20;

/** One 2x2 mean halving; an odd last row/column is dropped, as avgPool(2, 2, 'valid') does. Output is RGB. */
export function halve(p: Pixels): Pixels {
  return p.channels === 4 && p.data.byteOffset % 4 === 0 ? halveRgbaWords(p) : halveBytes(p);
}

/** `halve` for RGB or RGBA bytes, a channel at a time. */
export function halveBytes(p: Pixels): Pixels {
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

/**
 * `halve` for RGBA (a browser's decode), the same bytes out: each pixel read as one little-endian 32-bit word,
 * red and blue summed side by side in its two 16-bit halves (4 x 255 + 2 fits), then green. A 24 MP photo
 * passes through here once or twice per image, and a third of the reads and adds go.
 */
export function halveRgbaWords(p: Pixels): Pixels {
  const w = p.width >> 1;
  const h = p.height >> 1;
  const src = new Uint32Array(p.data.buffer, p.data.byteOffset, p.width * p.height);
  const out = new Uint8Array(w * h * 3);
  const RB = 0x00ff00ff;
  for (let y = 0; y < h; y++) {
    let a = 2 * y * p.width;
    let b = a + p.width;
    let o = y * w * 3;
    for (let x = 0; x < w; x++, a += 2, b += 2, o += 3) {
      const p0 = src[a]!;
      const p1 = src[a + 1]!;
      const p2 = src[b]!;
      const p3 = src[b + 1]!;
      const rb = (p0 & RB) + (p1 & RB) + (p2 & RB) + (p3 & RB) + 0x00020002;
      out[o] = (rb & 0xffff) >> 2;
      out[o + 1] = (((p0 >>> 8) & 0xff) + ((p1 >>> 8) & 0xff) + ((p2 >>> 8) & 0xff) + ((p3 >>> 8) & 0xff) + 2) >> 2;
      out[o + 2] = (rb >>> 16) >> 2;
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
