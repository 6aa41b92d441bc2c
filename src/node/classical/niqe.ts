// NIQE (Mittal, Soundararajan & Bovik 2013), opinion-unaware: a multivariate Gaussian (MVG) of NSS patch
// features fitted on pristine photographs (our own fit: niqe-pristine-model.json, see scripts/fit-niqe.ts).
// Score = distance between the test image's patch MVG and the pristine MVG; lower = more natural/better.

import fs from 'node:fs';

import {
  FEATURES_PER_SCALE,
  computeMscn,
  decodeGrey,
  downscaleHalfAntialiased,
  greyToPlane,
  scaleFeatures,
  type DecodeOptions,
  type Plane,
  type Rect,
} from './nss-features.ts';

export const NIQE_FEATURES = 2 * FEATURES_PER_SCALE;
/** NIQE's patch side at full scale (48 at half scale). */
export const NIQE_PATCH_SIZE = 96;
/** Pristine patches must be at least this fraction of the image's sharpest patch (NIQE's sh_th). */
export const NIQE_SHARPNESS_THRESHOLD = 0.75;

export const DEFAULT_NIQE_MODEL_FILE = new URL('./niqe-pristine-model.json', import.meta.url);

/** The pristine MVG plus how it was made. */
export interface NiqeModel {
  readonly kind: 'niqe-pristine-mvg';
  readonly patchSize: number;
  readonly mean: readonly number[];
  /** NIQE_FEATURES x NIQE_FEATURES, row-major rows. */
  readonly cov: readonly (readonly number[])[];
  readonly meta?: Record<string, unknown>;
}

export interface PatchFeatures {
  /** One NIQE_FEATURES vector per patch (NaN entries where a patch is flat). */
  readonly features: Float64Array[];
  /** Mean local standard deviation of each patch at full scale (NIQE's sharpness). */
  readonly sharpness: Float64Array;
  readonly rects: Rect[];
}

/**
 * 36 NSS features (NIQE parameterisation) for each patch of a non-overlapping grid: 18 on the full-scale
 * MSCN plane, 18 on the same area of a half-scale (MATLAB-style antialiased bicubic) copy.
 */
export function niqePatchFeatures(img: Plane, patchSize = NIQE_PATCH_SIZE): PatchFeatures {
  const full = computeMscn(img);
  const half = computeMscn(downscaleHalfAntialiased(img)).mscn;
  const hp = patchSize >> 1;
  const features: Float64Array[] = [];
  const sharpness: number[] = [];
  const rects: Rect[] = [];
  for (let y = 0; y + patchSize <= img.height; y += patchSize) {
    for (let x = 0; x + patchSize <= img.width; x += patchSize) {
      const rect = { x, y, width: patchSize, height: patchSize };
      const f = new Float64Array(NIQE_FEATURES);
      scaleFeatures(full.mscn, rect, 'niqe', f, 0);
      scaleFeatures(half, { x: x >> 1, y: y >> 1, width: hp, height: hp }, 'niqe', f, FEATURES_PER_SCALE);
      features.push(f);
      sharpness.push(meanOver(full.sigma, rect));
      rects.push(rect);
    }
  }
  return { features, sharpness: Float64Array.from(sharpness), rects };
}

function meanOver(p: Plane, r: Rect): number {
  let s = 0;
  for (let y = r.y; y < r.y + r.height; y++) {
    const o = y * p.width;
    for (let x = r.x; x < r.x + r.width; x++) s += p.data[o + x]!;
  }
  return s / (r.width * r.height);
}

/** The features of the patches a pristine fit keeps: finite, and sharp relative to the image's sharpest. */
export function sharpPatchFeatures(img: Plane, threshold = NIQE_SHARPNESS_THRESHOLD, patchSize = NIQE_PATCH_SIZE): Float64Array[] {
  const { features, sharpness } = niqePatchFeatures(img, patchSize);
  const max = Math.max(...sharpness);
  return features.filter((f, i) => sharpness[i]! > threshold * max && isFiniteVector(f));
}

function isFiniteVector(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Multivariate Gaussian and the NIQE distance

export interface Mvg {
  readonly mean: Float64Array;
  /** d x d, row-major. */
  readonly cov: Float64Array;
  readonly dim: number;
}

/** Sample mean and unbiased covariance (zero covariance for fewer than 2 samples). */
export function fitMvg(samples: readonly ArrayLike<number>[], dim = NIQE_FEATURES): Mvg {
  const n = samples.length;
  const mean = new Float64Array(dim);
  for (const s of samples) for (let i = 0; i < dim; i++) mean[i] += s[i]! / n;
  const cov = new Float64Array(dim * dim);
  if (n >= 2) {
    const d = new Float64Array(dim);
    for (const s of samples) {
      for (let i = 0; i < dim; i++) d[i] = s[i]! - mean[i]!;
      for (let i = 0; i < dim; i++) for (let j = i; j < dim; j++) cov[i * dim + j] += d[i]! * d[j]!;
    }
    for (let i = 0; i < dim; i++) {
      for (let j = i; j < dim; j++) {
        const v = cov[i * dim + j]! / (n - 1);
        cov[i * dim + j] = v;
        cov[j * dim + i] = v;
      }
    }
  }
  return { mean, cov, dim };
}

/** Eigen-decomposition of a symmetric matrix (cyclic Jacobi): values and column eigenvectors. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!;
          const mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!;
          const mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i]!;
  return { values, vectors: v };
}

/**
 * sqrt(d' pinv(S) d) for symmetric positive semi-definite S, with MATLAB pinv's tolerance
 * (n * max eigenvalue * eps): directions S cannot see are ignored, as NIQE's pinv does.
 */
export function pinvMahalanobis(d: Float64Array, s: Float64Array, n: number): number {
  const { values, vectors } = symmetricEigen(s, n);
  const maxEig = Math.max(...values.map(Math.abs));
  const tol = n * maxEig * Number.EPSILON;
  let q = 0;
  for (let k = 0; k < n; k++) {
    const lambda = values[k]!;
    if (!(lambda > tol)) continue;
    let proj = 0;
    for (let i = 0; i < n; i++) proj += vectors[i * n + k]! * d[i]!;
    q += (proj * proj) / lambda;
  }
  return Math.sqrt(q);
}

/** NIQE distance between a test MVG and the pristine one, with their averaged covariance. */
export function niqeDistance(pristine: Mvg, test: Mvg): number {
  const n = pristine.dim;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = pristine.mean[i]! - test.mean[i]!;
  const pooled = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) pooled[i] = (pristine.cov[i]! + test.cov[i]!) / 2;
  return pinvMahalanobis(d, pooled, n);
}

// ---------------------------------------------------------------------------------------------
// Model I/O and scoring

export function modelToMvg(model: NiqeModel): Mvg {
  const dim = model.mean.length;
  if (dim !== NIQE_FEATURES || model.cov.length !== dim || model.cov.some((r) => r.length !== dim)) {
    throw new Error(`NIQE model: expected a ${NIQE_FEATURES}-d mean and ${NIQE_FEATURES}x${NIQE_FEATURES} covariance`);
  }
  return { mean: Float64Array.from(model.mean), cov: Float64Array.from(model.cov.flat()), dim };
}

export function loadNiqeModel(file: string | URL = DEFAULT_NIQE_MODEL_FILE): NiqeModel {
  const model = JSON.parse(fs.readFileSync(file, 'utf8')) as NiqeModel;
  if (model.kind !== 'niqe-pristine-mvg') throw new Error(`${String(file)}: not a NIQE pristine model`);
  modelToMvg(model);
  return model;
}

/** A loaded model ready to score (the MVG unpacked once). */
export interface NiqeScorer {
  readonly model: NiqeModel;
  readonly pristine: Mvg;
}

export function niqeScorer(model: NiqeModel = loadNiqeModel()): NiqeScorer {
  return { model, pristine: modelToMvg(model) };
}

/** NIQE of a [0, 1] grey plane; NaN when no patch has usable statistics (e.g. a flat image). */
export function niqeScore(scorer: NiqeScorer, img: Plane): number {
  const { features } = niqePatchFeatures(img, scorer.model.patchSize);
  const usable = features.filter(isFiniteVector);
  if (usable.length === 0) return NaN;
  return niqeDistance(scorer.pristine, fitMvg(usable));
}

/** NIQE of an image file or encoded bytes. */
export async function niqeOfImage(scorer: NiqeScorer, input: string | Uint8Array, options?: DecodeOptions): Promise<number> {
  const g = await decodeGrey(input, options);
  return niqeScore(scorer, greyToPlane(g.data, g.width, g.height));
}
