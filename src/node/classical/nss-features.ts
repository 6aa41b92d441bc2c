// Natural-scene-statistics (NSS) features shared by BRISQUE and NIQE: greyscale conversion, MSCN
// coefficients, (A)GGD moment-matching fits and the 18 features per scale of Mittal et al. (2012).
// Everything works on Float32Array planes (row-major, width x height), as OpenCV's CV_32F mats do.

/** A single-channel float image. */
export interface Plane {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** Axis-aligned rectangle in pixels. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

// ---------------------------------------------------------------------------------------------
// Greyscale

/**
 * RGB(A) bytes to grey bytes with OpenCV's fixed-point BT.601 weights (cvtColor BGR2GRAY on 8U:
 * 14-bit coefficients 4899/9617/1868, rounded), so BRISQUE sees the grey levels OpenCV would.
 */
export function rgbToGrey(rgb: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  const n = width * height;
  if (rgb.length < n * channels) throw new Error(`rgbToGrey: ${rgb.length} bytes for ${width}x${height}x${channels}`);
  const out = new Uint8Array(n);
  if (channels === 1) {
    out.set(rgb.subarray(0, n));
    return out;
  }
  if (channels < 3) throw new Error(`rgbToGrey: unsupported channel count ${channels}`);
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    out[i] = (rgb[p]! * 4899 + rgb[p + 1]! * 9617 + rgb[p + 2]! * 1868 + 8192) >> 14;
  }
  return out;
}

/** Grey bytes to a [0, 1] float plane (OpenCV: convertTo(CV_32F, 1/255), a float multiply by float(1/255)). */
export function greyToPlane(grey: Uint8Array, width: number, height: number): Plane {
  const data = new Float32Array(width * height);
  const s = Math.fround(1 / 255);
  for (let i = 0; i < data.length; i++) data[i] = grey[i]! * s;
  return { data, width, height };
}

// ---------------------------------------------------------------------------------------------
// Filtering and resizing

/** Normalised 1-D Gaussian as cv::getGaussianKernel(size, sigma) computes it (double, then float). */
export function gaussianKernel(size: number, sigma: number): Float32Array {
  const k = new Float64Array(size);
  const scale = -0.5 / (sigma * sigma);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const x = i - (size - 1) * 0.5;
    k[i] = Math.exp(scale * x * x);
    sum += k[i]!;
  }
  return Float32Array.from(k, (v) => v / sum);
}

/**
 * Separable convolution with an odd symmetric kernel and BORDER_REPLICATE, rounding like OpenCV's AVX2
 * float path (row pass: fused multiply-adds in kernel order; column pass: fma(S[k] + S[-k], k[k], acc)).
 * Why so literal: on flat areas E[x^2] - mu^2 is pure rounding noise and decides which MSCN values are
 * exactly zero, which moves BRISQUE's AGGD fits by several score points on images with flat regions.
 */
export function filterSeparable(src: Plane, kernel: Float32Array, out?: Float32Array): Plane {
  const { width: w, height: h } = src;
  const r = (kernel.length - 1) >> 1;
  const n = kernel.length;
  const tmp = new Float32Array(w * h);
  const s = src.data;
  const f = Math.fround;
  // Rows: a padded copy of each row avoids per-tap clamping in the hot loop.
  const row = new Float32Array(w + 2 * r);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let i = 0; i < r; i++) row[i] = s[o]!;
    row.set(s.subarray(o, o + w), r);
    for (let i = 0; i < r; i++) row[r + w + i] = s[o + w - 1]!;
    if (n === 7) {
      // Unrolled for the 7-tap MSCN kernel (same operation order as the generic loop).
      const [k0, k1, k2, k3, k4, k5, k6] = kernel as unknown as [number, number, number, number, number, number, number];
      for (let x = 0; x < w; x++) {
        let acc = f(row[x]! * k0);
        acc = f(acc + row[x + 1]! * k1);
        acc = f(acc + row[x + 2]! * k2);
        acc = f(acc + row[x + 3]! * k3);
        acc = f(acc + row[x + 4]! * k4);
        acc = f(acc + row[x + 5]! * k5);
        tmp[o + x] = f(acc + row[x + 6]! * k6);
      }
      continue;
    }
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc = f(acc + row[x + k]! * kernel[k]!);
      tmp[o + x] = acc;
    }
  }
  // Columns: whole rows at a time (cache-friendly), clamping the row index.
  const dst = out ?? new Float32Array(w * h);
  const acc = new Float32Array(w);
  for (let y = 0; y < h; y++) {
    const c = kernel[r]!;
    const o0 = y * w;
    if (r === 3) {
      const [c1, c2, c3] = [kernel[4]!, kernel[5]!, kernel[6]!];
      const u1 = Math.min(h - 1, y + 1) * w;
      const u2 = Math.min(h - 1, y + 2) * w;
      const u3 = Math.min(h - 1, y + 3) * w;
      const d1 = Math.max(0, y - 1) * w;
      const d2 = Math.max(0, y - 2) * w;
      const d3 = Math.max(0, y - 3) * w;
      for (let x = 0; x < w; x++) {
        let a = f(tmp[o0 + x]! * c);
        a = f(f(tmp[u1 + x]! + tmp[d1 + x]!) * c1 + a);
        a = f(f(tmp[u2 + x]! + tmp[d2 + x]!) * c2 + a);
        dst[o0 + x] = f(f(tmp[u3 + x]! + tmp[d3 + x]!) * c3 + a);
      }
      continue;
    }
    for (let x = 0; x < w; x++) acc[x] = tmp[o0 + x]! * c;
    for (let k = 1; k <= r; k++) {
      const kv = kernel[r + k]!;
      const up = Math.min(h - 1, y + k) * w;
      const down = Math.max(0, y - k) * w;
      for (let x = 0; x < w; x++) acc[x] = f(f(tmp[up + x]! + tmp[down + x]!) * kv + acc[x]!);
    }
    dst.set(acc, o0);
  }
  return { data: dst, width: w, height: h };
}

/**
 * Applies a per-axis resampling (taps + weights for each output index) to rows, then columns, in
 * float with OpenCV's evaluation order (each product rounded, then summed tap by tap), so the
 * half-scale BRISQUE features match OpenCV's bit for bit.
 */
function resample2d(src: Plane, dw: number, dh: number, xTaps: Taps, yTaps: Taps): Plane {
  const { width: w, height: h } = src;
  const f = Math.fround;
  const s = src.data;
  const tmp = new Float32Array(dw * h);
  const nx = xTaps.count;
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < dw; x++) {
      let acc = 0;
      for (let k = 0; k < nx; k++) acc = f(acc + f(xTaps.weights[x * nx + k]! * s[o + xTaps.index[x * nx + k]!]!));
      tmp[y * dw + x] = acc;
    }
  }
  const out = new Float32Array(dw * dh);
  const ny = yTaps.count;
  for (let y = 0; y < dh; y++) {
    // Last tap first: the order OpenCV's vectorised VResizeCubic sums in (bit-exact on 4.6, SSE and AVX2).
    for (let k = ny - 1; k >= 0; k--) {
      const wv = yTaps.weights[y * ny + k]!;
      const o = yTaps.index[y * ny + k]! * dw;
      for (let x = 0; x < dw; x++) out[y * dw + x] += f(wv * tmp[o + x]!);
    }
  }
  return { data: out, width: dw, height: dh };
}

interface Taps {
  readonly count: number;
  readonly index: Int32Array;
  readonly weights: Float32Array;
}

/** OpenCV INTER_CUBIC taps (Keys cubic, A = -0.75, half-pixel centres, replicated border, no antialias). */
function opencvCubicTaps(srcLen: number, dstLen: number): Taps {
  const A = -0.75;
  const scale = srcLen / dstLen;
  const index = new Int32Array(dstLen * 4);
  const weights = new Float32Array(dstLen * 4);
  for (let d = 0; d < dstLen; d++) {
    const f = (d + 0.5) * scale - 0.5;
    const s = Math.floor(f);
    const x = f - s;
    const c = [
      ((A * (x + 1) - 5 * A) * (x + 1) + 8 * A) * (x + 1) - 4 * A,
      ((A + 2) * x - (A + 3)) * x * x + 1,
      ((A + 2) * (1 - x) - (A + 3)) * (1 - x) * (1 - x) + 1,
      0,
    ];
    c[3] = 1 - c[0]! - c[1]! - c[2]!;
    for (let k = 0; k < 4; k++) {
      index[d * 4 + k] = Math.min(srcLen - 1, Math.max(0, s - 1 + k));
      weights[d * 4 + k] = c[k]!;
    }
  }
  return { count: 4, index, weights };
}

/** cv::resize(src, dst, Size(dw, dh), 0, 0, INTER_CUBIC). */
export function resizeCubicOpenCV(src: Plane, dw: number, dh: number): Plane {
  if (dw === src.width && dh === src.height) return { data: src.data.slice(), width: dw, height: dh };
  return resample2d(src, dw, dh, opencvCubicTaps(src.width, dw), opencvCubicTaps(src.height, dh));
}

/** Keys cubic with a = -0.5 (MATLAB's imresize kernel). */
function keysCubic(t: number): number {
  const a = Math.abs(t);
  if (a <= 1) return (1.5 * a - 2.5) * a * a + 1;
  if (a < 2) return ((-0.5 * a + 2.5) * a - 4) * a + 2;
  return 0;
}

/** MATLAB imresize(x, 0.5) bicubic taps: antialiased (kernel stretched x2), symmetric border. */
function matlabHalfTaps(srcLen: number, dstLen: number): Taps {
  const count = 8;
  const index = new Int32Array(dstLen * count);
  const weights = new Float32Array(dstLen * count);
  const mirror = (i: number) => {
    const period = 2 * srcLen;
    let m = ((i % period) + period) % period;
    if (m >= srcLen) m = period - 1 - m;
    return m;
  };
  for (let d = 0; d < dstLen; d++) {
    const centre = 2 * d + 0.5; // source coordinate (0-based, pixel centres at integers)
    const first = Math.floor(centre - 4) + 1;
    let sum = 0;
    const ws: number[] = [];
    for (let k = 0; k < count; k++) {
      const wv = 0.5 * keysCubic(0.5 * (centre - (first + k)));
      ws.push(wv);
      sum += wv;
    }
    for (let k = 0; k < count; k++) {
      index[d * count + k] = mirror(first + k);
      weights[d * count + k] = ws[k]! / sum;
    }
  }
  return { count, index, weights };
}

/** Halves a plane the way MATLAB's imresize(x, 0.5) does (bicubic with antialiasing): NIQE's downscale. */
export function downscaleHalfAntialiased(src: Plane): Plane {
  const dw = Math.ceil(src.width / 2);
  const dh = Math.ceil(src.height / 2);
  return resample2d(src, dw, dh, matlabHalfTaps(src.width, dw), matlabHalfTaps(src.height, dh));
}

// ---------------------------------------------------------------------------------------------
// MSCN

export interface Mscn {
  /** (I - mu) / (sigma + c): mean-subtracted, contrast-normalised coefficients. */
  readonly mscn: Plane;
  /** Local standard deviation (before adding c): NIQE's patch sharpness measure. */
  readonly sigma: Plane;
}

const MSCN_KERNEL = gaussianKernel(7, 7 / 6);

/**
 * MSCN coefficients with a 7x7 Gaussian (sigma 7/6), replicated borders and c = 1/255 on a [0, 1]
 * image (= C 1 on 0..255), as OpenCV's QualityBRISQUE and NIQE compute them.
 */
export function computeMscn(img: Plane, c = 1 / 255): Mscn {
  const { width: w, height: h } = img;
  const n = w * h;
  const mu = filterSeparable(img, MSCN_KERNEL).data;
  const sq = new Float32Array(n);
  for (let i = 0; i < n; i++) sq[i] = img.data[i]! * img.data[i]!; // stored as float, like cv::multiply
  const ex2 = filterSeparable({ data: sq, width: w, height: h }, MSCN_KERNEL).data;
  const mscn = new Float32Array(n);
  const sigma = new Float32Array(n);
  const cf = Math.fround(c);
  for (let i = 0; i < n; i++) {
    const m = mu[i]!;
    const variance = Math.fround(ex2[i]! - Math.fround(m * m));
    if (variance < 0) {
      // Rounding on flat areas: OpenCV's sqrt gives NaN there, which its AGGD fit counts as a zero.
      sigma[i] = 0;
      mscn[i] = 0;
      continue;
    }
    // Float rounding at every step, as OpenCV's CV_32F mats round.
    const s = Math.fround(Math.sqrt(variance));
    sigma[i] = s;
    mscn[i] = Math.fround(img.data[i]! - m) / Math.fround(s + cf);
  }
  return { mscn: { data: mscn, width: w, height: h }, sigma: { data: sigma, width: w, height: h } };
}

// ---------------------------------------------------------------------------------------------
// Gamma function and (A)GGD fits

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Gamma function (Lanczos, g = 7): ~15 significant digits for the positive arguments used here. */
export function gammaFn(z: number): number {
  if (z < 0.5) return Math.PI / (Math.sin(Math.PI * z) * gammaFn(1 - z));
  z -= 1;
  let x = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) x += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * x;
}

/** Shape grid 0.2, 0.201, ... < 10 (accumulated as OpenCV's loop does) and its moment ratio. */
interface ShapeTable {
  readonly shape: Float64Array;
  /** Gamma(2/a)^2 / (Gamma(1/a) Gamma(3/a)): increasing in a. */
  readonly aggdRatio: Float64Array;
  /** Gamma(1/a) Gamma(3/a) / Gamma(2/a)^2: decreasing in a (GGD fit). */
  readonly ggdRatio: Float64Array;
}

let shapeTable: ShapeTable | undefined;
function getShapeTable(): ShapeTable {
  if (shapeTable) return shapeTable;
  const shapes: number[] = [];
  for (let g = 0.2; g < 10; g += 0.001) shapes.push(g);
  const shape = Float64Array.from(shapes);
  const aggdRatio = new Float64Array(shape.length);
  const ggdRatio = new Float64Array(shape.length);
  for (let i = 0; i < shape.length; i++) {
    const g = shape[i]!;
    const g1 = gammaFn(1 / g);
    const g2 = gammaFn(2 / g);
    const g3 = gammaFn(3 / g);
    aggdRatio[i] = (g2 * g2) / (g1 * g3);
    ggdRatio[i] = (g1 * g3) / (g2 * g2);
  }
  return (shapeTable = { shape, aggdRatio, ggdRatio });
}

/**
 * Grid value nearest to `target` in an increasing table; on a tie the later one wins, like OpenCV's
 * scan, which stops only when the difference strictly grows.
 */
function nearestIncreasing(table: Float64Array, target: number): number {
  let lo = 0;
  let hi = table.length - 1;
  if (!(target > table[0]!)) return 0;
  if (target >= table[hi]!) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (table[mid]! < target) lo = mid;
    else hi = mid;
  }
  return Math.abs(table[hi]! - target) <= Math.abs(table[lo]! - target) ? hi : lo;
}

/** Sufficient statistics for an AGGD moment fit. */
export interface AggdStats {
  /** Number of samples, zeros included. */
  n: number;
  posCount: number;
  negCount: number;
  posSq: number;
  negSq: number;
  absSum: number;
}

export function emptyStats(): AggdStats {
  return { n: 0, posCount: 0, negCount: 0, posSq: 0, negSq: 0, absSum: 0 };
}

export function statsOf(values: ArrayLike<number>): AggdStats {
  const s = emptyStats();
  for (let i = 0; i < values.length; i++) addSample(s, values[i]!);
  return s;
}

function addSample(s: AggdStats, v: number): void {
  s.n++;
  if (v > 0) {
    s.posCount++;
    s.posSq += v * v;
    s.absSum += v;
  } else if (v < 0) {
    s.negCount++;
    s.negSq += v * v;
    s.absSum -= v;
  }
}

export interface AggdParams {
  /** Shape (alpha in NIQE, gamma in OpenCV). */
  readonly shape: number;
  /** sqrt(E[x^2 | x < 0]) and sqrt(E[x^2 | x > 0]). */
  readonly leftStd: number;
  readonly rightStd: number;
  /** Scale parameters beta_l, beta_r = std * sqrt(Gamma(1/a) / Gamma(3/a)). */
  readonly leftScale: number;
  readonly rightScale: number;
  /** Mean of the fitted AGGD: (beta_r - beta_l) Gamma(2/a) / Gamma(1/a). */
  readonly mean: number;
}

/** Asymmetric generalised Gaussian moment fit (Lasmar et al.), as in BRISQUE/NIQE and OpenCV's AGGDfit. */
export function fitAggd(s: AggdStats): AggdParams {
  const table = getShapeTable();
  const leftStd = s.negCount > 0 ? Math.sqrt(s.negSq / s.negCount) : 0;
  const rightStd = s.posCount > 0 ? Math.sqrt(s.posSq / s.posCount) : 0;
  const meanSq = (s.negSq + s.posSq) / Math.max(1, s.n);
  if (leftStd === 0 || rightStd === 0 || meanSq === 0) {
    // Flat or one-sided input: the moment ratio is 0/0. NaN, as in the reference code, so callers can
    // drop such patches (NIQE's nanmean) rather than fit a made-up shape.
    return { shape: NaN, leftStd, rightStd, leftScale: NaN, rightScale: NaN, mean: NaN };
  }
  const gammaHat = leftStd / rightStd;
  const meanAbs = s.absSum / s.n;
  const rHat = (meanAbs * meanAbs) / meanSq;
  const rHatNorm = (rHat * (gammaHat ** 3 + 1) * (gammaHat + 1)) / (gammaHat ** 2 + 1) ** 2;
  const shape = table.shape[nearestIncreasing(table.aggdRatio, rHatNorm)]!;
  const g1 = gammaFn(1 / shape);
  const k = Math.sqrt(g1 / gammaFn(3 / shape));
  const leftScale = leftStd * k;
  const rightScale = rightStd * k;
  return { shape, leftStd, rightStd, leftScale, rightScale, mean: ((rightScale - leftScale) * gammaFn(2 / shape)) / g1 };
}

export interface GgdParams {
  readonly shape: number;
  /** Variance of the samples (sigma^2 of the GGD). */
  readonly variance: number;
}

/** Symmetric generalised Gaussian moment fit (Sharifi & Leon-Garcia), as in the BRISQUE paper. */
export function fitGgd(values: ArrayLike<number>): GgdParams {
  const table = getShapeTable();
  let sq = 0;
  let abs = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    sq += v * v;
    abs += Math.abs(v);
  }
  const n = Math.max(1, values.length);
  const variance = sq / n;
  const meanAbs = abs / n;
  if (meanAbs === 0) return { shape: 2, variance };
  const rho = variance / (meanAbs * meanAbs);
  // ggdRatio decreases with shape: search the reversed order.
  const rev = table.ggdRatio.slice().reverse();
  const idx = table.shape.length - 1 - nearestIncreasing(rev, rho);
  return { shape: table.shape[idx]!, variance };
}

// ---------------------------------------------------------------------------------------------
// Pairwise products and the 18 features of one scale

/** Neighbour offsets (dy, dx) for the H, V, D1 and D2 pairwise products (OpenCV's order). */
export const PAIR_SHIFTS: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 0],
  [1, 1],
  [-1, 1],
];

/** AGGD statistics of the MSCN values inside `rect`. */
export function mscnStats(m: Plane, rect: Rect): AggdStats {
  return regionStats(m, rect, 0, 0, false);
}

/**
 * AGGD statistics of the products m(y, x) * m(y + dy, x + dx) for pixels inside `rect`; neighbours
 * outside the image count as 0 (OpenCV fills its shifted copy with zeros).
 */
export function pairStats(m: Plane, rect: Rect, dy: number, dx: number): AggdStats {
  return regionStats(m, rect, dy, dx, true);
}

/** Accumulates in locals (this is the hot loop of both models). */
function regionStats(m: Plane, rect: Rect, dy: number, dx: number, product: boolean): AggdStats {
  const { width: w, height: h, data: d } = m;
  let posCount = 0;
  let negCount = 0;
  let posSq = 0;
  let negSq = 0;
  let absSum = 0;
  const f = Math.fround;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const yy = y + dy;
    const rowOk = yy >= 0 && yy < h;
    const o = y * w;
    const oo = yy * w + dx;
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      let v: number;
      if (!product) v = d[o + x]!;
      else {
        const xx = x + dx;
        // Products are float in OpenCV (cv::multiply on CV_32F), and so are their squares.
        v = rowOk && xx >= 0 && xx < w ? f(d[o + x]! * d[oo + x]!) : 0;
      }
      if (v > 0) {
        posCount++;
        posSq += f(v * v);
        absSum += v;
      } else if (v < 0) {
        negCount++;
        negSq += f(v * v);
        absSum -= v;
      }
    }
  }
  return { n: rect.width * rect.height, posCount, negCount, posSq, negSq, absSum };
}

/** Which parameterisation of the fitted distributions goes into the feature vector. */
export type FeatureConvention =
  /** OpenCV QualityBRISQUE: [shape, (l^2 + r^2)/2] then per shift [shape, mean, l^2, r^2] (l, r: one-sided stds). */
  | 'brisque'
  /** NIQE (Mittal 2013): [shape, (beta_l + beta_r)/2] then per shift [shape, mean, beta_l, beta_r]. */
  | 'niqe';

export const FEATURES_PER_SCALE = 18;

/** The 18 NSS features of one scale over `rect` of an MSCN plane. */
export function scaleFeatures(m: Plane, rect: Rect, convention: FeatureConvention, out: Float64Array, offset = 0): void {
  let i = offset;
  const base = fitAggd(mscnStats(m, rect));
  out[i++] = base.shape;
  out[i++] =
    convention === 'brisque'
      ? (base.leftStd ** 2 + base.rightStd ** 2) / 2
      : (base.leftScale + base.rightScale) / 2;
  for (const [dy, dx] of PAIR_SHIFTS) {
    const p = fitAggd(pairStats(m, rect, dy, dx));
    out[i++] = p.shape;
    out[i++] = p.mean;
    out[i++] = convention === 'brisque' ? p.leftStd ** 2 : p.leftScale;
    out[i++] = convention === 'brisque' ? p.rightStd ** 2 : p.rightScale;
  }
}

export function fullRect(p: Plane): Rect {
  return { x: 0, y: 0, width: p.width, height: p.height };
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** Grey bytes of a decoded image. */
export interface GreyImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface DecodeOptions {
  /** Downscale (never enlarge, lanczos3) so the shorter side is at most this many pixels. */
  readonly maxShortSide?: number;
}

/**
 * Decodes a file or encoded bytes to OpenCV-style grey bytes: EXIF orientation applied, alpha dropped,
 * 8-bit sRGB, then BT.601 grey (as cv::imread + cvtColor would give).
 */
export async function decodeGrey(input: string | Uint8Array, options: DecodeOptions = {}): Promise<GreyImage> {
  const { default: sharp } = await import('sharp');
  let pipeline = sharp(input, { failOn: 'error', limitInputPixels: 30000 * 30000 }).rotate();
  if (options.maxShortSide) {
    const meta = await sharp(input).rotate().metadata();
    const w = meta.autoOrient?.width ?? meta.width ?? 0;
    const h = meta.autoOrient?.height ?? meta.height ?? 0;
    const short = Math.min(w, h);
    if (short > options.maxShortSide) {
      const k = options.maxShortSide / short;
      pipeline = pipeline.resize(Math.round(w * k), Math.round(h * k), { kernel: 'lanczos3', fit: 'fill' });
    }
  }
  const { data, info } = await pipeline
    .toColourspace('srgb')
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.length);
  return { data: rgbToGrey(bytes, info.width, info.height, info.channels), width: info.width, height: info.height };
}
