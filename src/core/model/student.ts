// The student model: a frozen backbone, pooled multi-layer features and a linear quality head per mode.
// Loading is runtime-agnostic: the caller supplies how to read a file of the model folder (fetch in the
// browser, fs in Node), and every file is checked against the manifest's sha256 before use.
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { cellPooledFeatures, featureLength, gridFor, type Grid, type ImageFeatures, imageFeatures, withMeasures } from './features.ts';
import { decodeWeights } from './dequantize.ts';
import { applyHead, decodeHead, type HeadOutput, type LinearHead, standardise } from './head.ts';
import { type ModelManifest, ManifestError, parseManifest } from './manifest.ts';
import { type Pixels, toModelInput } from './preprocess.ts';
import { shrinkForModel } from './shrink.ts';
import type { ScoreMode } from './score-mode.ts';
import { sha256HexAsync } from './sha256.ts';

export type ReadModelFile = (name: string) => Promise<ArrayBuffer>;

export interface QualityMap extends Grid {
  /** Detail head score of each cell, row-major, on the model's scale. */
  readonly scores: readonly number[];
}

export interface StudentScore extends HeadOutput {
  readonly mode: ScoreMode;
}

export interface Student {
  readonly manifest: ModelManifest;
  /** Pooled backbone features of one image in the given mode (what heads and calibration consume). */
  features(pixels: Pixels, mode: ScoreMode): Promise<ImageFeatures>;
  /** Student score from features already computed. */
  scoreFeatures(features: ArrayLike<number>, mode: ScoreMode): StudentScore;
  score(pixels: Pixels, mode?: ScoreMode): Promise<StudentScore>;
  /** Scores of grid cells of the image's Detail view (row-major), by the Detail head: where quality is lost. */
  qualityMap(pixels: Pixels): Promise<QualityMap>;
  /** Features standardised as the mode's head sees them (the input of a calibration residual). */
  standardise(features: ArrayLike<number>, mode: ScoreMode): Float64Array;
  /** Runs each mode once on a blank image so the first real image is not slowed by kernel compilation. */
  warmUp(): Promise<void>;
  dispose(): void;
}

async function readChecked(read: ReadModelFile, manifest: ModelManifest, name: string): Promise<ArrayBuffer> {
  const bytes = await read(name);
  const expected = manifest.files[name];
  if (!expected) throw new ManifestError(`model manifest lists no sha256 for "${name}"`);
  const actual = await sha256HexAsync(bytes);
  if (actual !== expected.sha256) {
    throw new ManifestError(`model file "${name}" is corrupt or replaced: sha256 ${actual.slice(0, 12)}…, manifest says ${expected.sha256.slice(0, 12)}…`);
  }
  return bytes;
}

export async function loadManifest(read: ReadModelFile): Promise<ModelManifest> {
  const text = new TextDecoder().decode(await read('manifest.json'));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ManifestError('model manifest.json is not valid JSON');
  }
  return parseManifest(json);
}

export async function loadStudent(read: ReadModelFile): Promise<Student> {
  const manifest = await loadManifest(read);
  const measures = manifest.features.measures ?? [];
  const dims = featureLength(manifest.features.taps, measures);
  if (dims !== manifest.features.length) {
    throw new ManifestError(`model manifest: features.length is ${manifest.features.length} but the taps and measures give ${dims}`);
  }
  const [graphBytes, weightBytes, fastHead, accurateHead] = await Promise.all([
    readChecked(read, manifest, manifest.backbone.graph),
    readChecked(read, manifest, manifest.backbone.weights),
    readChecked(read, manifest, manifest.heads.fast.file),
    readChecked(read, manifest, manifest.heads.accurate.file),
  ]);
  const graph = JSON.parse(new TextDecoder().decode(graphBytes));
  const backbone = await loadGraphModel(
    tf.io.fromMemory({ modelTopology: graph.modelTopology, weightSpecs: graph.weightsManifest[0].weights, weightData: weightBytes }),
    {},
    { ...tf.io, decodeWeights },
  );
  const heads: Record<ScoreMode, LinearHead> = {
    fast: decodeHead(fastHead, manifest.heads.fast.kind, dims),
    accurate: decodeHead(accurateHead, manifest.heads.accurate.kind, dims),
  };

  async function features(pixels: Pixels, mode: ScoreMode): Promise<ImageFeatures> {
    const f = await imageFeatures(backbone, pixels, manifest.input.modes[mode], manifest.features.taps);
    return { ...f, features: withMeasures(f, measures) };
  }

  function scoreFeatures(f: ArrayLike<number>, mode: ScoreMode): StudentScore {
    return { ...applyHead(heads[mode], f), mode };
  }

  return {
    manifest,
    features,
    scoreFeatures,
    async score(pixels, mode = manifest.input.defaultMode) {
      return scoreFeatures((await features(pixels, mode)).features, mode);
    },
    async qualityMap(pixels) {
      const spec = manifest.input.modes.accurate;
      const view = { fit: spec.fit, size: spec.size };
      const input = toModelInput(shrinkForModel(pixels, view), view);
      try {
        const grid = gridFor(input.shape[2], input.shape[1]);
        const cells = await cellPooledFeatures(backbone, input, manifest.features.taps, grid);
        // Cells are scored by what the backbone sees in them; the measures describe the whole image, not a cell.
        return { ...grid, scores: cells.map((f) => applyHead(heads.accurate, withMeasures({ features: f, unseenNoise: 0 }, measures)).score) };
      } finally {
        input.dispose();
      }
    },
    standardise(f, mode) {
      return standardise(heads[mode], f);
    },
    async warmUp() {
      const blank: Pixels = { data: new Uint8Array(64 * 64 * 3).fill(128), width: 64, height: 64, channels: 3 };
      await features(blank, 'fast');
    },
    dispose() {
      backbone.dispose();
    },
  };
}
