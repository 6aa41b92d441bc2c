// The scale scores are shown on: the model's own (manifest.output, e.g. 1..5) or, when a calibration profile
// for this exact model version is active, the user's MOS scale. Raw model scores are always kept; the display
// value is derived, so switching profiles never loses anything. Pure: unit-tested.
import type { ModelInfo } from '../worker/protocol.ts';

export interface ScoreScale {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** null: the model's own scale. */
  readonly profileId: string | null;
}

/**
 * A monotone piecewise-linear map from the model's score to a user scale, bound to one model version.
 * Any calibrator (linear, isotonic, spline) can be exported as knots; issue #4 fills this in.
 */
export interface DisplayCurve {
  readonly id: string;
  readonly name: string;
  readonly modelName: string;
  readonly modelVersion: string;
  readonly scale: { readonly name: string; readonly min: number; readonly max: number };
  /** Knots, ascending in `raw`; outside them the end segments extend, then clamp to the scale. */
  readonly knots: readonly { readonly raw: number; readonly mapped: number }[];
}

export function modelScale(model: Pick<ModelInfo, 'output'>): ScoreScale {
  return { name: model.output.name, min: model.output.min, max: model.output.max, profileId: null };
}

/** A display curve only applies to the model version it was fitted on. */
export function displayCurveApplies(curve: DisplayCurve | null, model: Pick<ModelInfo, 'name' | 'version'> | null): curve is DisplayCurve {
  return !!curve && !!model && curve.modelName === model.name && curve.modelVersion === model.version && curve.knots.length >= 2;
}

export function activeScale(model: ModelInfo | null, curve: DisplayCurve | null): ScoreScale | null {
  if (!model) return null;
  if (displayCurveApplies(curve, model)) return { ...curve.scale, profileId: curve.id };
  return modelScale(model);
}

export function applyDisplayCurve(curve: DisplayCurve, raw: number): number {
  const k = curve.knots;
  let i = 1;
  while (i < k.length - 1 && raw > k[i]!.raw) i++;
  const a = k[i - 1]!;
  const b = k[i]!;
  const t = b.raw === a.raw ? 0 : (raw - a.raw) / (b.raw - a.raw);
  const v = a.mapped + t * (b.mapped - a.mapped);
  return Math.min(curve.scale.max, Math.max(curve.scale.min, v));
}

/** Maps a raw model score to the active scale. */
export function toDisplay(raw: number, model: ModelInfo | null, curve: DisplayCurve | null): number {
  return displayCurveApplies(curve, model) ? applyDisplayCurve(curve, raw) : raw;
}

export function formatScore(value: number, scale: Pick<ScoreScale, 'min' | 'max'>): string {
  const span = scale.max - scale.min;
  return value.toFixed(span <= 10 ? 2 : span <= 100 ? 1 : 0);
}
