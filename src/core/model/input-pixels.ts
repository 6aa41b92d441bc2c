// The backbone's input values built in plain JS: the same arithmetic TF.js's avgPool(2, 2, 'valid') halvings and
// resizeBilinear(alignCorners = false, halfPixelCenters = true) perform, on float32, straight from the decoded
// bytes. Only the finished view (224 x 224 x 3 in Quick) enters the wasm heap, instead of the whole decoded image
// as int32, then float32, then each halving: less work, and the heap sees only view-sized tensors (one shape in
// Quick) instead of full-size ones shaped like each photo (bench:speed --memory). Pure; equal to the TF.js path
// within float rounding (unit test).

/** Decoded bytes (RGB or RGBA, row-major) of width x height pixels. */
export interface InputSource {
  readonly data: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}

/** Float32 RGB values in [0, 1], row-major, height x width x 3. */
export interface InputView {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** byte / 255 in float32, as TF.js's div computes it. */
const UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/** RGB floats in [0, 1] (alpha dropped). */
function toUnitFloats(p: InputSource): InputView {
  const n = p.width * p.height;
  const out = new Float32Array(n * 3);
  const c = p.channels;
  const src = p.data;
  for (let i = 0, j = 0, o = 0; i < n; i++, j += c, o += 3) {
    out[o] = UNIT[src[j]!]!;
    out[o + 1] = UNIT[src[j + 1]!]!;
    out[o + 2] = UNIT[src[j + 2]!]!;
  }
  return { data: out, width: p.width, height: p.height };
}

/** One 2x2 mean halving in float (avgPool 2, stride 2, 'valid': an odd last row/column is dropped). */
function halveFloats(p: InputView): InputView {
  const w = p.width >> 1;
  const h = p.height >> 1;
  const src = p.data;
  const out = new Float32Array(w * h * 3);
  const row = p.width * 3;
  for (let y = 0; y < h; y++) {
    let a = 2 * y * row;
    let b = a + row;
    let o = y * w * 3;
    for (let x = 0; x < w; x++, a += 6, b += 6, o += 3) {
      out[o] = (src[a]! + src[a + 3]! + src[b]! + src[b + 3]!) * 0.25;
      out[o + 1] = (src[a + 1]! + src[a + 4]! + src[b + 1]! + src[b + 4]!) * 0.25;
      out[o + 2] = (src[a + 2]! + src[a + 5]! + src[b + 2]! + src[b + 5]!) * 0.25;
    }
  }
  return { data: out, width: w, height: h };
}

/** The first halving straight from bytes: same values as converting to floats, then halving. */
function halveBytes(p: InputSource): InputView {
  const w = p.width >> 1;
  const h = p.height >> 1;
  const c = p.channels;
  const src = p.data;
  const out = new Float32Array(w * h * 3);
  const row = p.width * c;
  const scale = 0.25 / 255;
  for (let y = 0; y < h; y++) {
    let a = 2 * y * row;
    let b = a + row;
    let o = y * w * 3;
    for (let x = 0; x < w; x++, a += 2 * c, b += 2 * c, o += 3) {
      out[o] = (src[a]! + src[a + c]! + src[b]! + src[b + c]!) * scale;
      out[o + 1] = (src[a + 1]! + src[a + c + 1]! + src[b + 1]! + src[b + c + 1]!) * scale;
      out[o + 2] = (src[a + 2]! + src[a + c + 2]! + src[b + 2]! + src[b + c + 2]!) * scale;
    }
  }
  return { data: out, width: w, height: h };
}

/** Where output index i samples the source axis (half-pixel centres): the two neighbours and the weight of the second. */
function axisSamples(from: number, to: number): { lo: Int32Array; hi: Int32Array; frac: Float32Array } {
  // In float32 and in this order, as XNNPACK (TF.js's wasm kernel) computes it: a float64 coordinate differs by
  // up to 6e-5 at 512 px.
  const ratio = Math.fround(from / to);
  const offset = Math.fround(0.5 * ratio - 0.5);
  const lo = new Int32Array(to);
  const hi = new Int32Array(to);
  const frac = new Float32Array(to);
  for (let i = 0; i < to; i++) {
    const at = Math.fround(Math.fround(i * ratio) + offset);
    const floor = Math.floor(at);
    lo[i] = Math.max(0, floor);
    hi[i] = Math.min(from - 1, Math.ceil(at));
    frac[i] = at - floor;
  }
  return { lo, hi, frac };
}

/**
 * Bilinear resize, alignCorners = false, halfPixelCenters = true (TF.js resizeBilinear's arithmetic), of
 * `channels`-interleaved values times `scale` (bytes read straight with 1/255, a float view with 1), RGB out.
 */
function resizeBilinear(src: ArrayLike<number>, from: { width: number; height: number }, channels: number, scale: number, height: number, width: number): InputView {
  const ys = axisSamples(from.height, height);
  const xs = axisSamples(from.width, width);
  const out = new Float32Array(width * height * 3);
  const row = from.width * channels;
  let o = 0;
  for (let y = 0; y < height; y++) {
    const top = ys.lo[y]! * row;
    const bottom = ys.hi[y]! * row;
    const fy = ys.frac[y]!;
    for (let x = 0; x < width; x++) {
      const left = xs.lo[x]! * channels;
      const right = xs.hi[x]! * channels;
      const fx = xs.frac[x]!;
      for (let ch = 0; ch < 3; ch++, o++) {
        const tl = src[top + left + ch]! * scale;
        const bl = src[bottom + left + ch]! * scale;
        const t = tl + (src[top + right + ch]! * scale - tl) * fx;
        const b = bl + (src[bottom + right + ch]! * scale - bl) * fx;
        out[o] = t + (b - t) * fy;
      }
    }
  }
  return { data: out, width, height };
}

/**
 * Bytes -> the view the backbone sees at height x width: halved while at least twice the target on both
 * sides, then one bilinear step when the size still differs.
 */
export function modelInputView(p: InputSource, height: number, width: number): InputView {
  const halving = p.height >= 2 * height && p.width >= 2 * width;
  // Read straight from the bytes when no halving comes first: one pass, no full-size float copy.
  if (!halving) return p.height === height && p.width === width ? toUnitFloats(p) : resizeBilinear(p.data, p, p.channels, 1 / 255, height, width);
  let view = halveBytes(p);
  while (view.height >= 2 * height && view.width >= 2 * width) view = halveFloats(view);
  return view.height === height && view.width === width ? view : resizeBilinear(view.data, view, 3, 1, height, width);
}
