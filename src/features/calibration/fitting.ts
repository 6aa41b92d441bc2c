// Calibration fitting: refit the active profile's head in the worker (debounced, superseded by newer
// requests) whenever its ratings or the scored images change, and push calibrated scores and the display
// curve into the store. Ratings find their images by content key, which the worker sends with each score.
import type { CalibrationProfile } from '../../core/calibration/profile.ts';
import { RATING_RANGES } from '../../core/calibration/profile.ts';
import type { TeacherLabel } from '../../core/calibration/teacher-labels.ts';
import { fitCalibrationInWorker } from '../../engine-client/scoring-service.ts';
import type { DisplayCurve } from '../../shared/score-scale.ts';
import { useLeaf } from '../../store/store.ts';
import { commit } from './profile-writer.ts';

const DEBOUNCE_MS = 300;
const store = () => useLeaf.getState();
const patch = (p: Parameters<ReturnType<typeof store>['patchCalibration']>[0]) => store().patchCalibration(p);

let fitTimer: ReturnType<typeof setTimeout> | null = null;
let fitSeq = 0;
let watching = false;

/** Refits whenever the number of scored images (or the teacher's usable judgments) changes while a profile is active (once; idempotent). */
export function watchScoredImages(): void {
  if (watching) return;
  watching = true;
  let lastScored = -1;
  useLeaf.subscribe((s, prev) => {
    if (s.teacher.judgments !== prev.teacher.judgments || s.teacher.useInCalibration !== prev.teacher.useInCalibration) {
      if (store().calibration.active) scheduleFit();
      return;
    }
    if (s.images.byId === prev.images.byId) return;
    const scored = s.images.order.filter((id) => s.images.byId[id]!.status === 'scored').length;
    if (scored !== lastScored) {
      lastScored = scored;
      if (store().calibration.active) scheduleFit();
    }
  });
}

/** Image ids by content key, among scored images. */
function idsByKey(): Map<string, string[]> {
  const { images } = store();
  const out = new Map<string, string[]>();
  for (const id of images.order) {
    const item = images.byId[id]!;
    if (!item.contentKey || item.status !== 'scored') continue;
    out.set(item.contentKey, [...(out.get(item.contentKey) ?? []), id]);
  }
  return out;
}

/** The teacher's judgments as labels of the scored images, when the user lets calibration use them. */
function teacherLabels(byKey: Map<string, string[]>): TeacherLabel[] | undefined {
  const { teacher } = store();
  if (!teacher.useInCalibration) return undefined;
  const labels = Object.entries(teacher.judgments).flatMap(([key, j]) => (byKey.get(key) ?? []).map((imageId) => ({ imageId, score: j.score, reliability: j.reliability })));
  return labels.length ? labels : undefined;
}

/** The ratings as one comparable string (order-free): equal keys mean the same ratings. */
export function ratingKey(ratings: CalibrationProfile['ratings']): string {
  return ratings.map((r) => `${r.imageKey}|${r.rater}|${r.value}|${r.at}`).sort().join('\n');
}

export function scheduleFit(delay = DEBOUNCE_MS): void {
  if (fitTimer) clearTimeout(fitTimer);
  fitTimer = setTimeout(() => void fitNow(), delay);
}

function clearFit(): void {
  patch({ values: {}, intervals: {}, fit: null, status: 'idle', error: null });
  store().setDisplayCurve(null);
}

function displayCurveOf(active: CalibrationProfile, model: { name: string; version: string }, curve: readonly { score: number; value: number }[]): DisplayCurve | null {
  if (curve.length < 2) return null;
  const range = RATING_RANGES[active.ratingScale];
  return {
    id: active.id,
    name: active.name,
    modelName: model.name,
    modelVersion: model.version,
    scale: { name: active.ratingScale === 'acr5' ? 'your MOS (ACR)' : 'your MOS', min: range.min, max: range.max },
    knots: curve.map((c) => ({ raw: c.score, mapped: c.value })),
  };
}

async function fitNow(): Promise<void> {
  fitTimer = null;
  const active = store().calibration.active;
  const m = store().engine.model;
  if (!active || !m || store().engine.status !== 'ready') return clearFit();
  const byKey = idsByKey();
  const ratings = active.ratings.flatMap((r) => (byKey.get(r.imageKey) ?? []).map((imageId) => ({ imageId, rater: r.rater, value: r.value })));
  const allHere = active.ratings.every((r) => byKey.has(r.imageKey));
  if (ratings.length === 0 && !active.head) return clearFit();
  const seq = ++fitSeq;
  patch({ status: 'fitting' });
  const range = RATING_RANGES[active.ratingScale];
  try {
    const result = await fitCalibrationInWorker({ ratings, range, storedHead: ratings.length === 0 ? active.head : null, teacher: teacherLabels(byKey) });
    if (!result || seq !== fitSeq) return; // superseded: a newer fit is on its way
    const { values, intervals, head, ...fit } = result;
    patch({ values, intervals, fit, status: 'idle', error: null });
    store().setDisplayCurve(displayCurveOf(active, m, result.curve));
    // The stored head is the fit on every rating; a fit on part of them (images missing) does not replace it.
    // Only onto the same ratings, and only when it differs: a tab that reloads another tab's head does not refit,
    // so two tabs never trade writes of the same head.
    if (ratings.length > 0 && allHere) {
      const fitted = ratingKey(active.ratings);
      await commit(active.id, (s) => (s && ratingKey(s.ratings) === fitted && JSON.stringify(s.head) !== JSON.stringify(head) ? { ...s, head } : undefined));
    }
  } catch (err) {
    if (seq === fitSeq) patch({ status: 'error', error: err instanceof Error ? err.message : String(err) });
  }
}
