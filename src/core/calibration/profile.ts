// The calibration profile file: a user's ratings and the fitted head, bound to one model version, with no
// image data (ratings name images by the sha256 of their bytes and their file name; no pixels, thumbnails
// or features). A checksum over the canonical JSON of everything else catches edits and truncation.
// parseProfile validates every field and throws a ProfileError whose message a person can act on.
import { sha256HexAsync } from '../model/sha256.ts';
import type { Calibration, MonotoneMap } from './calibrate.ts';

export const PROFILE_SCHEMA = 'leaf-calibration-profile';
export const PROFILE_VERSION = 1;

export type RatingScale = 'acr5' | 'slider100';
export const RATING_RANGES: Record<RatingScale, { readonly min: number; readonly max: number }> = {
  acr5: { min: 1, max: 5 },
  slider100: { min: 0, max: 100 },
};

export interface ProfileRating {
  /** sha256 (hex) of the image file's bytes. */
  readonly imageKey: string;
  readonly imageName: string;
  readonly rater: string;
  readonly value: number;
  /** ISO time the rating was given. */
  readonly at: string;
}

/** A Calibration as plain JSON (Float32Array -> number[]). */
export interface SerialisedHead {
  readonly map: MonotoneMap;
  readonly residual: number[] | null;
  readonly lambda: number | null;
  readonly clamp: [number, number];
  readonly labels: number;
  readonly looRmse: number | null;
}

/** A calibration profile as stored (IndexedDB) and exported (with a checksum, ProfileFile): ratings and the fitted head. */
export interface CalibrationProfile {
  readonly schema: typeof PROFILE_SCHEMA;
  readonly version: typeof PROFILE_VERSION;
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly model: { readonly name: string; readonly version: string };
  readonly ratingScale: RatingScale;
  readonly ratings: readonly ProfileRating[];
  readonly head: SerialisedHead | null;
}

export interface ProfileFile extends CalibrationProfile {
  readonly checksum: string;
}

export type ProfileErrorCode = 'not-json' | 'wrong-schema' | 'newer-version' | 'wrong-model' | 'tampered' | 'bad-value';

export class ProfileError extends Error {
  constructor(
    readonly code: ProfileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProfileError';
  }
}

export function serialiseHead(c: Calibration): SerialisedHead {
  return {
    map: c.map,
    residual: c.residual ? Array.from(c.residual) : null,
    lambda: c.lambda,
    clamp: [c.clamp[0], c.clamp[1]],
    labels: c.labels,
    looRmse: Number.isFinite(c.looRmse) ? c.looRmse : null,
  };
}

export function deserialiseHead(h: SerialisedHead): Calibration {
  return {
    map: h.map,
    residual: h.residual ? Float32Array.from(h.residual) : null,
    lambda: h.lambda,
    clamp: [h.clamp[0], h.clamp[1]],
    labels: h.labels,
    looRmse: h.looRmse ?? NaN,
  };
}

/** JSON with object keys sorted at every level: the same data always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export async function profileChecksum(body: CalibrationProfile): Promise<string> {
  const { checksum: _ignored, ...rest } = body as ProfileFile;
  return sha256HexAsync(new TextEncoder().encode(canonicalJson(rest)));
}

export async function toProfileFile(body: CalibrationProfile): Promise<ProfileFile> {
  return { ...body, checksum: await profileChecksum(body) };
}

// ---- validation ----

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown, max = 500): v is string => typeof v === 'string' && v.length <= max;
const isIso = (v: unknown) => isStr(v, 64) && !Number.isNaN(Date.parse(v));

function bad(what: string): never {
  throw new ProfileError('bad-value', `This profile file is damaged: ${what}.`);
}

function checkMap(m: unknown): void {
  if (!isObj(m)) bad('the calibration curve is missing');
  if (m.kind === 'constant') return void (isNum(m.value) || bad('the constant curve has no value'));
  if (m.kind === 'linear') return void ((isNum(m.a) && isNum(m.b) && m.b >= 0) || bad('the linear curve has bad coefficients'));
  if (m.kind === 'logistic') {
    const p = m.p;
    if (!isObj(p) || !['b1', 'b2', 'b3', 'b4'].every((k) => isNum(p[k]))) bad('the logistic curve has bad parameters');
    return;
  }
  bad(`unknown curve kind "${String(m.kind)}"`);
}

function checkHead(h: unknown, range: { min: number; max: number }): void {
  if (h === null) return;
  if (!isObj(h)) bad('the calibration head is not an object');
  checkMap(h.map);
  if (h.residual !== null && !(Array.isArray(h.residual) && h.residual.length <= 65536 && h.residual.every(isNum))) bad('the residual weights are not finite numbers');
  if (h.lambda !== null && !isNum(h.lambda)) bad('the ridge strength is not a number');
  if (!(Array.isArray(h.clamp) && h.clamp.length === 2 && isNum(h.clamp[0]) && isNum(h.clamp[1]) && h.clamp[0] <= h.clamp[1])) bad('the output range is invalid');
  const span = range.max - range.min;
  if ((h.clamp[0] as number) < range.min - 2 * span || (h.clamp[1] as number) > range.max + 2 * span) bad('the output range does not fit the rating scale');
  if (!(Number.isInteger(h.labels) && (h.labels as number) >= 1)) bad('the label count is invalid');
  if (h.looRmse !== null && !(isNum(h.looRmse) && h.looRmse >= 0)) bad('the leave-one-out error is invalid');
}

/**
 * Validates an imported profile file (its text). Order of checks: JSON, schema, version, model binding,
 * checksum, then every value — so the message names the most useful problem first.
 */
export async function parseProfile(text: string, expected: { name: string; version: string }): Promise<ProfileFile> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProfileError('not-json', 'This file is not a LEAF calibration profile: it is not valid JSON.');
  }
  if (!isObj(json) || json.schema !== PROFILE_SCHEMA) throw new ProfileError('wrong-schema', `This file is not a LEAF calibration profile (expected "schema": "${PROFILE_SCHEMA}").`);
  if (!Number.isInteger(json.version) || (json.version as number) < 1) throw new ProfileError('bad-value', 'This profile file is damaged: its version is not a positive integer.');
  if ((json.version as number) > PROFILE_VERSION)
    throw new ProfileError('newer-version', `This profile uses format version ${json.version}, newer than this app understands (version ${PROFILE_VERSION}). Update LEAF to import it.`);
  const model = json.model;
  if (!isObj(model) || !isStr(model.name) || !isStr(model.version)) bad('it names no model');
  if (model.name !== expected.name || model.version !== expected.version)
    throw new ProfileError(
      'wrong-model',
      `This profile was made for model ${model.name} version ${model.version}; the app runs ${expected.name} version ${expected.version}. Its calibration does not apply to this model.`,
    );
  if (!isStr(json.checksum, 64) || !/^[0-9a-f]{64}$/.test(json.checksum)) bad('its checksum is missing');
  const actual = await profileChecksum(json as unknown as CalibrationProfile);
  if (actual !== json.checksum) throw new ProfileError('tampered', 'This profile file was modified or corrupted after export (checksum mismatch); it was not imported.');

  if (!isStr(json.id, 100) || !json.id) bad('it has no id');
  if (!isStr(json.name, 200) || !json.name.trim()) bad('it has no name');
  if (!isIso(json.createdAt) || !isIso(json.updatedAt)) bad('its dates are invalid');
  if (json.ratingScale !== 'acr5' && json.ratingScale !== 'slider100') bad(`unknown rating scale "${String(json.ratingScale)}"`);
  const range = RATING_RANGES[json.ratingScale];
  if (!Array.isArray(json.ratings) || json.ratings.length > 100_000) bad('its ratings are not a list');
  const allowed = new Set(['imageKey', 'imageName', 'rater', 'value', 'at']);
  json.ratings.forEach((r: unknown, i: number) => {
    if (!isObj(r)) bad(`rating ${i + 1} is not an object`);
    if (Object.keys(r).some((k) => !allowed.has(k))) bad(`rating ${i + 1} carries unexpected data (${Object.keys(r).filter((k) => !allowed.has(k)).join(', ')})`);
    if (!isStr(r.imageKey) || !/^[0-9a-f]{64}$/.test(r.imageKey)) bad(`rating ${i + 1} has no valid image key`);
    if (!isStr(r.imageName) || !isStr(r.rater, 100)) bad(`rating ${i + 1} has a bad image or rater name`);
    if (!isNum(r.value) || r.value < range.min || r.value > range.max) bad(`rating ${i + 1} (${String(r.value)}) is outside the ${range.min}–${range.max} scale`);
    if (!isIso(r.at)) bad(`rating ${i + 1} has an invalid time`);
  });
  checkHead(json.head, range);
  return json as unknown as ProfileFile;
}
