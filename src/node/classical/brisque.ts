// BRISQUE (Mittal, Moorthy & Bovik 2012) as OpenCV's cv::quality::QualityBRISQUE computes it, scored
// with OpenCV's LIVE-trained epsilon-SVR (Debian opencv-doc: examples/quality/brisque_model_live.yml and
// brisque_range_live.yml, Apache-2.0). Lower score = better quality, clamped to [0, 100] as OpenCV does.

import fs from 'node:fs';
import path from 'node:path';

import { ensureDebianPackage } from './debian-packages.ts';
import {
  FEATURES_PER_SCALE,
  computeMscn,
  decodeGrey,
  fullRect,
  greyToPlane,
  resizeCubicOpenCV,
  scaleFeatures,
  type GreyImage,
  type Plane,
} from './nss-features.ts';

export const BRISQUE_FEATURES = 2 * FEATURES_PER_SCALE;

/** The 36 BRISQUE features of a [0, 1] grey plane: scale 1, then a bicubic half-size copy. */
export function brisqueFeatures(img: Plane): Float64Array {
  const out = new Float64Array(BRISQUE_FEATURES);
  let scaled = img;
  for (let s = 0; s < 2; s++) {
    if (s > 0) scaled = resizeCubicOpenCV(img, Math.trunc(img.width / 2), Math.trunc(img.height / 2));
    const { mscn } = computeMscn(scaled);
    scaleFeatures(mscn, fullRect(mscn), 'brisque', out, s * FEATURES_PER_SCALE);
  }
  // OpenCV keeps features as float.
  for (let i = 0; i < out.length; i++) out[i] = Math.fround(out[i]!);
  return out;
}

/** An RBF epsilon-SVR plus the per-feature [min, max] used to scale inputs to [-1, 1]. */
export interface BrisqueModel {
  readonly gamma: number;
  readonly rho: number;
  /** sv_total x var_count, row-major. */
  readonly supportVectors: Float32Array;
  readonly alpha: Float64Array;
  readonly varCount: number;
  readonly rangeMin: Float32Array;
  readonly rangeMax: Float32Array;
}

export const OPENCV_DOC_PACKAGE = 'opencv-doc';
const QUALITY_EXAMPLES = 'usr/share/doc/opencv-doc/examples/quality';

/**
 * Directory holding brisque_model_live.yml and brisque_range_live.yml: $LEAF_BRISQUE_DIR, else Debian's
 * opencv-doc extracted under .cache/debian (downloaded with apt-get on first use).
 */
export function defaultBrisqueDir(): string {
  const fromEnv = process.env.LEAF_BRISQUE_DIR;
  if (fromEnv) return fromEnv;
  return path.join(ensureDebianPackage(OPENCV_DOC_PACKAGE), QUALITY_EXAMPLES);
}

/** Loads OpenCV's LIVE model from `dir` (default: defaultBrisqueDir()). */
export function loadBrisqueModel(dir?: string): BrisqueModel {
  const root = dir ?? defaultBrisqueDir();
  const modelFile = path.join(root, 'brisque_model_live.yml');
  const rangeFile = path.join(root, 'brisque_range_live.yml');
  for (const f of [modelFile, rangeFile]) {
    if (!fs.existsSync(f)) throw new Error(`BRISQUE model file missing: ${f} (Debian package ${OPENCV_DOC_PACKAGE})`);
  }
  return { ...parseSvmYaml(fs.readFileSync(modelFile, 'utf8')), ...parseRangeYaml(fs.readFileSync(rangeFile, 'utf8')) };
}

// ---------------------------------------------------------------------------------------------
// OpenCV FileStorage YAML: just the fields an RBF EPS_SVR written by cv::ml::SVM::save has.

function numbersIn(text: string): number[] {
  return text
    .split(/[\s,]+/)
    .filter((t) => t !== '')
    .map((t) => {
      const v = Number(t);
      if (!Number.isFinite(v)) throw new Error(`not a number in OpenCV YAML: "${t}"`);
      return v;
    });
}

function scalarField(text: string, name: string): number {
  const m = new RegExp(`^\\s*${name}:\\s*([-+0-9.eE]+)\\s*$`, 'm').exec(text);
  if (!m) throw new Error(`OpenCV YAML: field "${name}" not found`);
  return Number(m[1]);
}

/** The text of `name: [ ... ]` (a flow sequence) starting at or after `from`. */
function flowSequence(text: string, name: string, from = 0): string {
  const start = text.indexOf(`${name}:`, from);
  if (start < 0) throw new Error(`OpenCV YAML: sequence "${name}" not found`);
  const open = text.indexOf('[', start);
  const close = text.indexOf(']', open);
  return text.slice(open + 1, close);
}

export function parseSvmYaml(text: string): Pick<BrisqueModel, 'gamma' | 'rho' | 'supportVectors' | 'alpha' | 'varCount'> {
  const svmType = /svmType:\s*(\w+)/.exec(text)?.[1];
  const kernel = /kernel:\s*\n\s*type:\s*(\w+)/.exec(text)?.[1];
  if (svmType !== 'EPS_SVR' || kernel !== 'RBF') throw new Error(`expected an RBF EPS_SVR, got ${svmType}/${kernel}`);
  const varCount = scalarField(text, 'var_count');
  const svTotal = scalarField(text, 'sv_total');
  const gamma = scalarField(text, 'gamma');
  const svStart = text.indexOf('support_vectors:');
  const dfStart = text.indexOf('decision_functions:');
  if (svStart < 0 || dfStart < 0) throw new Error('OpenCV YAML: support_vectors/decision_functions not found');
  // Each support vector is a "- [ ... ]" item; their concatenation is the row-major matrix.
  const svText = text.slice(svStart + 'support_vectors:'.length, dfStart).replace(/[-]\s*\[/g, ' ').replace(/\]/g, ' ');
  const sv = numbersIn(svText);
  if (sv.length !== svTotal * varCount) throw new Error(`OpenCV YAML: ${sv.length} support-vector values, expected ${svTotal}x${varCount}`);
  const df = text.slice(dfStart);
  const svCount = scalarField(df, 'sv_count');
  const rho = scalarField(df, 'rho');
  const alpha = numbersIn(flowSequence(df, 'alpha'));
  if (alpha.length !== svCount) throw new Error(`OpenCV YAML: ${alpha.length} alphas, expected ${svCount}`);
  // With one decision function over all vectors OpenCV omits "index"; support a present one too.
  const idxMatch = /^\s*index:/m.exec(df);
  const order = idxMatch ? numbersIn(flowSequence(df, 'index', idxMatch.index)) : alpha.map((_, i) => i);
  const supportVectors = new Float32Array(svCount * varCount);
  order.forEach((src, i) => supportVectors.set(sv.slice(src * varCount, (src + 1) * varCount), i * varCount));
  return { gamma, rho, supportVectors, alpha: Float64Array.from(alpha), varCount };
}

export function parseRangeYaml(text: string): Pick<BrisqueModel, 'rangeMin' | 'rangeMax'> {
  const rows = scalarField(text, 'rows');
  const cols = scalarField(text, 'cols');
  const data = numbersIn(flowSequence(text, 'data'));
  if (rows !== 2 || data.length !== rows * cols) throw new Error(`BRISQUE range: expected 2x${cols}, got ${data.length} values`);
  return { rangeMin: Float32Array.from(data.slice(0, cols)), rangeMax: Float32Array.from(data.slice(cols)) };
}

// ---------------------------------------------------------------------------------------------
// Scoring

/** Feature scaling to [-1, 1]: quality_utils::scale, each operation in float as its template does. */
export function scaleFeaturesToUnit(model: BrisqueModel, features: ArrayLike<number>): Float32Array {
  const f = Math.fround;
  const out = new Float32Array(model.varCount);
  for (let i = 0; i < model.varCount; i++) {
    const lo = model.rangeMin[i]!;
    const hi = model.rangeMax[i]!;
    out[i] = f(-1 + f(f(2 * f(f(features[i]!) - lo)) / f(hi - lo)));
  }
  return out;
}

/**
 * SVR output sum_i alpha_i exp(-gamma |sv_i - x|^2) - rho for already scaled features, rounded as
 * cv::ml::SVM does (float differences, double distance, float kernel value).
 */
export function svrPredict(model: BrisqueModel, x: Float32Array): number {
  const { varCount: d, supportVectors: sv, alpha } = model;
  const f = Math.fround;
  let sum = -model.rho;
  for (let i = 0; i < alpha.length; i++) {
    let dist = 0;
    const o = i * d;
    for (let k = 0; k < d; k++) {
      const t = f(sv[o + k]! - x[k]!);
      dist += t * t;
    }
    sum += alpha[i]! * f(Math.exp(f(-model.gamma * dist)));
  }
  return f(sum);
}

/** BRISQUE score of a [0, 1] grey plane: 0 (best) .. 100 (worst). */
export function brisqueScore(model: BrisqueModel, img: Plane): number {
  const raw = svrPredict(model, scaleFeaturesToUnit(model, brisqueFeatures(img)));
  return Math.min(100, Math.max(0, raw));
}

/** BRISQUE of decoded grey bytes. */
export function brisqueOfGrey(model: BrisqueModel, grey: GreyImage): number {
  return brisqueScore(model, greyToPlane(grey.data, grey.width, grey.height));
}

/** BRISQUE of an image file or encoded bytes (EXIF-rotated, alpha dropped, OpenCV grey). */
export async function brisqueOfImage(model: BrisqueModel, input: string | Uint8Array): Promise<number> {
  return brisqueOfGrey(model, await decodeGrey(input));
}
