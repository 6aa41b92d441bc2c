// The model folder's manifest: what the student expects as input, what its score means, where it came
// from, and a sha256 for every file so a corrupted or swapped file is caught at load time.
import { type FeatureTap, type Measure, MEASURES } from './features.ts';
import type { HeadKind } from './head.ts';
import type { ResizeSpec } from './preprocess.ts';
import type { ScoreMode } from './score-mode.ts';

export const MANIFEST_FORMAT = 'leaf-student';
export const MANIFEST_VERSION = 1;

export interface HeadSpec {
  readonly file: string;
  readonly kind: HeadKind;
}

export interface ModelManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly formatVersion: number;
  readonly name: string;
  /** Changes whenever any weight changes; calibration profiles are bound to it. */
  readonly version: string;
  readonly backbone: { readonly graph: string; readonly weights: string; readonly source: string };
  readonly input: {
    readonly channels: 3;
    readonly range: readonly [0, 1];
    readonly modes: Readonly<Record<ScoreMode, ResizeSpec>>;
    readonly defaultMode: ScoreMode;
  };
  /** `measures` (absent = none) follow the taps' pooled values; `length` counts both. */
  readonly features: { readonly taps: readonly FeatureTap[]; readonly measures?: readonly Measure[]; readonly length: number };
  readonly heads: Readonly<Record<ScoreMode, HeadSpec>>;
  readonly output: { readonly name: string; readonly min: number; readonly max: number; readonly description: string };
  readonly provenance: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, unknown>>;
  readonly files: Readonly<Record<string, { readonly sha256: string; readonly bytes: number }>>;
}

export class ManifestError extends Error {
  readonly code = 'bad-manifest';
}

function need(cond: unknown, field: string, expected: string): asserts cond {
  if (!cond) throw new ManifestError(`model manifest: field "${field}" must be ${expected}`);
}

/** Validates the parts the runtime depends on; errors name the field and the expected value. */
export function parseManifest(json: unknown): ModelManifest {
  const m = json as Partial<ModelManifest> | null;
  need(m && typeof m === 'object', 'manifest', 'a JSON object');
  need(m.format === MANIFEST_FORMAT, 'format', `"${MANIFEST_FORMAT}"`);
  need(m.formatVersion === MANIFEST_VERSION, 'formatVersion', String(MANIFEST_VERSION));
  need(typeof m.name === 'string' && m.name, 'name', 'a non-empty string');
  need(typeof m.version === 'string' && m.version, 'version', 'a non-empty string');
  need(m.backbone && typeof m.backbone.graph === 'string' && typeof m.backbone.weights === 'string', 'backbone', '{graph, weights} file names');
  need(m.input && m.input.modes && m.input.modes.fast && m.input.modes.accurate, 'input.modes', 'sizes for "fast" and "accurate"');
  for (const mode of ['fast', 'accurate'] as const) {
    const d = m.input.modes[mode].detail;
    if (d === undefined) continue;
    const field = `input.modes.${mode}.detail`;
    need(Number.isInteger(d.count) && d.count >= 1 && d.count <= 16, `${field}.count`, 'a whole number from 1 to 16');
    need(Number.isInteger(d.size) && d.size >= 32 && d.size <= 1024, `${field}.size`, 'a whole number of pixels from 32 to 1024');
    need(Number.isFinite(d.weight) && d.weight >= 0 && d.weight <= 1, `${field}.weight`, 'a number from 0 to 1');
    need(Number.isFinite(d.minScale) && d.minScale >= 1, `${field}.minScale`, 'a number of at least 1');
  }
  need(m.input.defaultMode === 'fast' || m.input.defaultMode === 'accurate', 'input.defaultMode', '"fast" or "accurate"');
  need(m.features && Array.isArray(m.features.taps) && m.features.taps.length > 0, 'features.taps', 'a non-empty array');
  need(
    m.features.measures === undefined || (Array.isArray(m.features.measures) && m.features.measures.every((x) => MEASURES.includes(x))),
    'features.measures',
    `absent or a list of ${MEASURES.map((x) => `"${x}"`).join(', ')}`,
  );
  need(m.heads && m.heads.fast && m.heads.accurate, 'heads', 'a head for "fast" and "accurate"');
  for (const mode of ['fast', 'accurate'] as const) {
    need(m.heads[mode].kind === 'levels' || m.heads[mode].kind === 'scalar', `heads.${mode}.kind`, '"levels" or "scalar"');
  }
  need(m.output && Number.isFinite(m.output.min) && Number.isFinite(m.output.max), 'output', '{min, max} numbers');
  need(m.files && typeof m.files === 'object', 'files', 'a map of file name -> {sha256, bytes}');
  for (const file of [m.backbone.graph, m.backbone.weights, m.heads.fast.file, m.heads.accurate.file]) {
    need(m.files[file]?.sha256, `files["${file}"].sha256`, 'present');
  }
  return m as ModelManifest;
}
