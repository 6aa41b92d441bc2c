// One calibration refit as the app needs it, pure so the worker, the unit tests and the benches share it:
// ratings -> per-rater bias correction -> fitCalibration() on the per-image consensus (exactly the code
// `leaf eval --calibrate` runs) -> calibrated score, interval and cross-validated metrics for every image.
// Calibrated values are cut to the rating scale, so the user's scale is never left.
import { applyMap, bound, type Calibration, type CalibrationSample, fitCalibration, fitCalibrationWithAux, predictCalibrated } from './calibrate.ts';
import { type CrossValidation, crossValidate } from './cross-validate.ts';
import { deserialiseHead, type SerialisedHead, serialiseHead } from './profile.ts';
import { correctRaters, type RaterReport } from './raters.ts';
import { type TeacherLabel, teacherSamples, teacherToUserScale } from './teacher-labels.ts';
import { predictiveInterval, type RatingRange, uncertaintyModel } from './uncertainty.ts';

export interface SessionItem {
  readonly id: string;
  readonly score: number;
  readonly z?: ArrayLike<number>;
}

export interface SessionRating {
  readonly imageId: string;
  readonly rater: string;
  readonly value: number;
}

export interface SessionInput {
  /** Every scored image (its student score and standardised features). */
  readonly items: readonly SessionItem[];
  /** Ratings of images among `items`. */
  readonly ratings: readonly SessionRating[];
  readonly range: RatingRange;
  /** Used instead of a refit when given (an imported profile whose rated images are not all here). */
  readonly storedHead?: SerialisedHead | null;
  /** A teacher's judgments of images among `items`, used alongside the ratings where they help (teacher-labels.ts). */
  readonly teacher?: readonly TeacherLabel[];
}

/** What the teacher's judgments did in this fit. */
export interface TeacherUse {
  /** Images the teacher judged, among the scored ones. */
  readonly judged: number;
  /** Of them, rated by the user too (they place the teacher's scale on the user's). */
  readonly shared: number;
  /** Auxiliary samples that entered the fit (0 when the teacher was not used). */
  readonly used: number;
  /** How much a fully reliable judgment counted, relative to one rating; null when the teacher did not lower the leave-one-out error. */
  readonly scale: number | null;
  /** Why the teacher was not used, in words; null when it was. */
  readonly reason: string | null;
}

/** At most this many teacher-judged images enter one fit (kernel ridge is O(n^2 d); 300 keeps a refit near a second). */
export const MAX_TEACHER_SAMPLES = 300;

export interface SessionPoint {
  readonly id: string;
  readonly score: number;
  /** Bias-corrected consensus rating. */
  readonly rating: number;
  readonly pred: number;
  readonly heldOut: number | null;
}

export interface SessionResult {
  readonly head: SerialisedHead | null;
  readonly fromStoredHead: boolean;
  readonly values: Record<string, number>;
  readonly intervals: Record<string, readonly [number, number]>;
  readonly cv: CrossValidation;
  readonly raters: readonly RaterReport[];
  readonly points: readonly SessionPoint[];
  /** Null when no teacher judgments were given. */
  readonly teacher: TeacherUse | null;
  /** The monotone map over the images' score range (the fitted curve), cut to the rating scale. */
  readonly curve: readonly { readonly score: number; readonly value: number }[];
  /** Whole refit, cross-validation included. */
  readonly ms: number;
  /** The fine-tuning proper: rater correction + fitCalibration() + predictions for every image. */
  readonly fitMs: number;
  /** Cross-validation (LOO refits) alone. */
  readonly cvMs: number;
}

const cut = (v: number, r: RatingRange) => Math.min(r.max, Math.max(r.min, v));

/** A fitted session before its predictions: what fitSession computes from the ratings alone. */
export interface SessionHead {
  readonly cal: Calibration | null;
  readonly fromStoredHead: boolean;
  readonly useZ: boolean;
  readonly uncertainty: ReturnType<typeof uncertaintyModel> | null;
  readonly samples: readonly CalibrationSample[];
  readonly ratedIds: readonly string[];
  readonly raters: readonly RaterReport[];
  readonly teacher: TeacherUse | null;
  readonly cv: CrossValidation;
  readonly range: RatingRange;
  readonly startedAt: number;
  readonly cvMs: number;
}

/**
 * The fit proper. Features (z) are needed only on the rated images and on the teacher's candidates
 * (teacherCandidates): the worker reads just those, then streams every image through predictSessionItems.
 */
export function fitSessionHead(input: SessionInput): SessionHead {
  const startedAt = performance.now();
  const { items, range } = input;
  const byId = new Map(items.map((it) => [it.id, it]));
  const ratings = input.ratings.filter((r) => byId.has(r.imageId) && Number.isFinite(r.value));
  // z only when every rated image has features of one length (images scored in different modes do not mix).
  const withZ = items.filter((it) => it.z);
  const dims = withZ[0]?.z?.length ?? 0;
  const useZ = dims > 0 && withZ.every((it) => it.z!.length === dims) && ratings.every((r) => byId.get(r.imageId)!.z);
  const sample = (id: string, mos: number): CalibrationSample | undefined => {
    const it = byId.get(id);
    if (!it || (useZ && !it.z)) return undefined;
    return useZ ? { score: it.score, z: it.z!, mos } : { score: it.score, mos };
  };
  const rated = (id: string, mos: number): CalibrationSample => sample(id, mos)!;

  let cal: Calibration | null = null;
  let raters: readonly RaterReport[] = [];
  let samples: CalibrationSample[] = [];
  let ratedIds: string[] = [];
  let teacher: TeacherUse | null = input.teacher ? { judged: input.teacher.filter((l) => byId.has(l.imageId)).length, shared: 0, used: 0, scale: null, reason: 'no ratings yet' } : null;
  const fromStoredHead = ratings.length === 0 && !!input.storedHead;
  if (ratings.length > 0) {
    // A first fit on the raw per-image means anchors raters who share no image with anyone.
    const raw = correctRaters(ratings.map((r) => ({ imageKey: r.imageId, rater: r.rater, value: r.value })));
    ratedIds = [...raw.consensus.keys()];
    const first = fitCalibration(ratedIds.map((id) => rated(id, raw.consensus.get(id)!)));
    const firstPred = (id: string) => predictCalibrated(first, byId.get(id)!.score, useZ ? byId.get(id)!.z : undefined);
    const corrected = correctRaters(
      ratings.map((r) => ({ imageKey: r.imageId, rater: r.rater, value: r.value })),
      (id) => (byId.has(id) ? firstPred(id) : undefined),
    );
    raters = corrected.raters;
    samples = ratedIds.map((id) => rated(id, cut(corrected.consensus.get(id)!, range)));
    cal = fitCalibration(samples);
    if (input.teacher) {
      const fit = fitWithTeacher(input.teacher, samples, ratedIds, sample, byId, range);
      teacher = fit.use;
      if (fit.cal) cal = fit.cal;
    }
  } else if (input.storedHead) {
    cal = deserialiseHead(input.storedHead);
  }

  const tCv = performance.now();
  const cv = crossValidate(samples);
  const cvMs = performance.now() - tCv;
  let uncertainty: SessionHead['uncertainty'] = null;
  if (cal) {
    const u = uncertaintyModel(
      samples.map((s) => s.score),
      cal.looRmse,
      range,
    );
    uncertainty = fromStoredHead ? { ...u, n: cal.labels, sigma: uncertaintyModel(new Array(cal.labels).fill(0), cal.looRmse, range).sigma, sxx: 0 } : u;
  }
  return { cal, fromStoredHead, useZ, uncertainty, samples, ratedIds, raters, teacher, cv, range, startedAt, cvMs };
}

/** Whether predictions need each image's features (a residual head was fitted). */
export const needsFeatures = (head: SessionHead): boolean => head.useZ && !!head.cal?.residual;

/** Calibrated value and interval of each item, added to `into` (items carry z when needsFeatures). */
export function predictSessionItems(head: SessionHead, items: readonly SessionItem[], into: Pick<SessionResult, 'values' | 'intervals'>): void {
  const { cal, uncertainty, range } = head;
  if (!cal || !uncertainty) return;
  for (const it of items) {
    const v = cut(predictCalibrated(cal, it.score, head.useZ ? it.z : undefined), range);
    into.values[it.id] = v;
    const iv = predictiveInterval(uncertainty, it.score, v);
    into.intervals[it.id] = [iv.lo, iv.hi];
  }
}

/** The session's result once every item is predicted; `scores` are all items' student scores (for the curve). */
export function sessionResult(head: SessionHead, predicted: Pick<SessionResult, 'values' | 'intervals'>, scores: readonly number[]): SessionResult {
  const { cal, samples, ratedIds, range, cv } = head;
  const { values, intervals } = predicted;
  const points = samples.map((s, i) => ({ id: ratedIds[i]!, score: s.score, rating: s.mos, pred: values[ratedIds[i]!]!, heldOut: cv.heldOut[i] ?? null }));
  const curve: { score: number; value: number }[] = [];
  if (cal && scores.length) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of scores) (lo = Math.min(lo, s)), (hi = Math.max(hi, s));
    if (hi - lo < 1e-9) (lo -= 0.5), (hi += 0.5);
    for (let k = 0; k <= 40; k++) {
      const s = lo + ((hi - lo) * k) / 40;
      curve.push({ score: s, value: cut(bound(cal, applyMap(cal.map, s)), range) });
    }
  }
  const ms = performance.now() - head.startedAt;
  return { head: cal ? serialiseHead(cal) : null, fromStoredHead: head.fromStoredHead, values, intervals, cv, raters: head.raters, points, curve, teacher: head.teacher, ms, fitMs: ms - head.cvMs, cvMs: head.cvMs };
}

/** One refit with every item's features in memory (unit tests, benches). */
export function fitSession(input: SessionInput): SessionResult {
  const head = fitSessionHead(input);
  const predicted = { values: {}, intervals: {} };
  predictSessionItems(head, input.items, predicted);
  return sessionResult(head, predicted, input.items.map((i) => i.score));
}

function fitWithTeacher(
  labels: readonly TeacherLabel[],
  samples: readonly CalibrationSample[],
  ratedIds: readonly string[],
  sample: (id: string, mos: number) => CalibrationSample | undefined,
  byId: ReadonlyMap<string, SessionItem>,
  range: RatingRange,
): { use: TeacherUse; cal: Calibration | null } {
  const here = labels.filter((l) => byId.has(l.imageId));
  const rated = new Map(ratedIds.map((id, i) => [id, samples[i]!.mos]));
  const scale = teacherToUserScale(here, rated);
  const judged = here.length;
  if (!scale.ok) return { use: { judged, shared: scale.shared, used: 0, scale: null, reason: scale.reason }, cal: null };
  const aux = teacherSamples(here, scale, new Set(ratedIds), sample, range, MAX_TEACHER_SAMPLES);
  if (!samples.every((x) => x.z) || aux.length === 0) {
    return { use: { judged, shared: scale.shared, used: 0, scale: null, reason: aux.length ? 'the images have no features to learn from (scored in different modes)' : 'the teacher judged only images you rated' }, cal: null };
  }
  const cal = fitCalibrationWithAux(samples, aux);
  if (cal.auxScale === null) {
    return { use: { judged, shared: scale.shared, used: 0, scale: null, reason: 'it did not predict your ratings better (leave-one-out), so your ratings alone decide' }, cal: null };
  }
  return { use: { judged, shared: scale.shared, used: aux.length, scale: cal.auxScale, reason: null }, cal };
}
