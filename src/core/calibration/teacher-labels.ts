// A teacher's judgments (a local model the user runs in the browser) as extra calibration samples. The
// teacher speaks its own 1..5 scale, so its scores are first mapped onto the user's by a line fitted where
// the user has rated the same images (weighted by the teacher's reliability); the images the user has not
// rated then become auxiliary samples on the user's scale, each counting its reliability. Whether they
// help at all is decided by the fit (calibrate.ts, fitCalibrationWithAux): by the user's own ratings.
import type { AuxSample } from './calibrate.ts';

export interface TeacherLabel {
  readonly imageId: string;
  /** The teacher's expected level, 1 (bad) .. 5 (excellent). */
  readonly score: number;
  /** 0 (worthless) .. 1 (fully trusted). */
  readonly reliability: number;
}

/** Rated images the teacher has also judged needed to place its scale on the user's. */
export const MIN_SHARED_RATINGS = 3;

export type TeacherScale =
  | { readonly ok: true; readonly a: number; readonly b: number; readonly shared: number }
  | { readonly ok: false; readonly shared: number; readonly reason: string };

/** Reliability-weighted least-squares line teacher score -> user rating over the images both judged. */
export function teacherToUserScale(labels: readonly TeacherLabel[], rated: ReadonlyMap<string, number>): TeacherScale {
  const both = labels.filter((l) => rated.has(l.imageId) && Number.isFinite(l.score) && l.reliability > 0);
  const shared = both.length;
  if (shared < MIN_SHARED_RATINGS) {
    return { ok: false, shared, reason: `rate at least ${MIN_SHARED_RATINGS} images the teacher has judged (${shared} so far) so its scale can be matched to yours` };
  }
  let sw = 0;
  let mx = 0;
  let my = 0;
  for (const l of both) (sw += l.reliability), (mx += l.reliability * l.score), (my += l.reliability * rated.get(l.imageId)!);
  mx /= sw;
  my /= sw;
  let sxy = 0;
  let sxx = 0;
  for (const l of both) {
    const dx = l.score - mx;
    sxy += l.reliability * dx * (rated.get(l.imageId)! - my);
    sxx += l.reliability * dx * dx;
  }
  if (sxx <= 1e-12) return { ok: false, shared, reason: 'the teacher gave every image you rated the same score: nothing to match' };
  const b = sxy / sxx;
  if (!(b > 0)) return { ok: false, shared, reason: 'the teacher ranks the images you rated against your ratings: it is not used' };
  return { ok: true, a: my - b * mx, b, shared };
}

function rankCandidates(labels: readonly TeacherLabel[], rated: ReadonlySet<string>): TeacherLabel[] {
  const candidates = labels.filter((l) => !rated.has(l.imageId) && Number.isFinite(l.score) && l.reliability > 0);
  return candidates.sort((p, q) => q.reliability - p.reliability || (p.imageId < q.imageId ? -1 : 1));
}

/**
 * The unrated images teacherSamples may draw on, most reliable first, at most `max`: the only ones besides
 * the rated whose features a fit reads (the worker loads just these).
 */
export function teacherCandidates(labels: readonly TeacherLabel[], rated: ReadonlySet<string>, max: number): string[] {
  return rankCandidates(labels, rated)
    .slice(0, max)
    .map((l) => l.imageId);
}

/** Auxiliary samples for the images the user has not rated, on the user's scale (cut to it), at most `max` (most reliable first). */
export function teacherSamples(
  labels: readonly TeacherLabel[],
  scale: Extract<TeacherScale, { ok: true }>,
  rated: ReadonlySet<string>,
  sample: (imageId: string, mos: number) => Omit<AuxSample, 'weight'> | undefined,
  range: { readonly min: number; readonly max: number },
  max: number,
): AuxSample[] {
  const out: AuxSample[] = [];
  for (const l of rankCandidates(labels, rated)) {
    if (out.length >= max) break;
    const mos = Math.min(range.max, Math.max(range.min, scale.a + scale.b * l.score));
    const s = sample(l.imageId, mos);
    if (s) out.push({ ...s, weight: Math.min(1, l.reliability) });
  }
  return out;
}
