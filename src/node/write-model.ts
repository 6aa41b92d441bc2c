// Writes a student model folder: head files, then a manifest with the sha256 and size of every file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_TAPS, type FeatureTap, featureLength, type Measure } from '../core/model/features.ts';
import { encodeHead, type LinearHead } from '../core/model/head.ts';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type ModelManifest, parseManifest } from '../core/model/manifest.ts';
import { RESIZE_BY_MODE } from '../core/model/preprocess.ts';
import type { ScoreMode } from '../core/model/score-mode.ts';
import { sha256HexSync } from './sha256.ts';

export const BACKBONE_SOURCE =
  'MobileNetV2 alpha=1.4 ImageNet feature extractor (TF-Hub, Apache-2.0) as shipped in nsfwjs@4.4.0 ' +
  'dist/models/mobilenet_v2_mid (MIT, (c) Infinite Red); derived by scripts/derive-backbone.cjs, content head removed';

export interface WriteModelOptions {
  readonly dir: string;
  readonly name: string;
  readonly heads: Readonly<Record<ScoreMode, LinearHead>>;
  readonly taps?: readonly FeatureTap[];
  /** Pixel measures following the taps' features (the heads take them as their last inputs). */
  readonly measures?: readonly Measure[];
  readonly provenance: Record<string, unknown>;
  readonly metrics: Record<string, unknown>;
  /** Mode the CLI uses when none is given (the app has its own speed-first default). */
  readonly defaultMode?: ScoreMode;
}

function fileEntry(file: string): { sha256: string; bytes: number } {
  const bytes = fs.readFileSync(file);
  return { sha256: sha256HexSync(bytes), bytes: bytes.length };
}

export function writeModel(opts: WriteModelOptions): ModelManifest {
  const taps = opts.taps ?? DEFAULT_TAPS;
  const measures = opts.measures ?? [];
  fs.mkdirSync(opts.dir, { recursive: true });
  const files: Record<string, { sha256: string; bytes: number }> = {};
  for (const f of ['backbone.json', 'backbone.bin']) {
    if (!fs.existsSync(path.join(opts.dir, f))) throw new Error(`${opts.dir} has no ${f}: run npx tsx scripts/derive-backbone.ts ${opts.dir}`);
    files[f] = fileEntry(path.join(opts.dir, f));
  }
  const heads = {} as Record<ScoreMode, { file: string; kind: LinearHead['kind'] }>;
  for (const mode of ['fast', 'accurate'] as const) {
    const file = `head-${mode}.bin`;
    fs.writeFileSync(path.join(opts.dir, file), new Uint8Array(encodeHead(opts.heads[mode])));
    files[file] = fileEntry(path.join(opts.dir, file));
    heads[mode] = { file, kind: opts.heads[mode].kind };
  }
  const input = { channels: 3, range: [0, 1], modes: RESIZE_BY_MODE, defaultMode: opts.defaultMode ?? 'fast' } as const;
  // The version is a content hash of the weights and of how images are fed to them (sizes, detail
  // patches), so anything that changes a score invalidates calibration profiles bound to it.
  const version = crypto
    .createHash('sha256')
    .update(Object.values(files).map((f) => f.sha256).join(''))
    .update(JSON.stringify(input.modes))
    .update(measures.length ? JSON.stringify(measures) : '')
    .digest('hex')
    .slice(0, 16);
  const manifest: ModelManifest = {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_VERSION,
    name: opts.name,
    version,
    backbone: { graph: 'backbone.json', weights: 'backbone.bin', source: BACKBONE_SOURCE },
    input,
    features: measures.length ? { taps, measures, length: featureLength(taps, measures) } : { taps, length: featureLength(taps) },
    heads,
    output: {
      name: 'student quality',
      min: 1,
      max: 5,
      description: 'Expected quality level on the teachers\' 5-level scale (1 = bad .. 5 = excellent), before any calibration',
    },
    provenance: opts.provenance,
    metrics: opts.metrics,
    files,
  };
  parseManifest(manifest);
  fs.writeFileSync(path.join(opts.dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
