// Rating: the Rate panel's flow. Propose the next image (active selection), store each rating at once
// (a rater's new rating of an image replaces their earlier one), skip, undo, rater name and rating scale.
import { proposeNext } from '../../core/calibration/active.ts';
import { RATING_RANGES, type RatingScale } from '../../core/calibration/profile.ts';
import { useLeaf } from '../../store/store.ts';
import { scheduleFit } from './fitting.ts';
import { profileDb } from './profile-db.ts';
import { createProfile, saveActive } from './profiles.ts';
import { undoHistory } from './undo-history.ts';

const store = () => useLeaf.getState();
const patch = (p: Parameters<ReturnType<typeof store>['patchCalibration']>[0]) => store().patchCalibration(p);

const skipped = new Set<string>();

export function setRater(name: string): void {
  patch({ rater: name });
  void profileDb.setSetting('rater', name);
}

/** Switches ACR / slider; only while the active profile has no ratings (they share one scale). */
export function setRatingMode(mode: RatingScale): void {
  const a = store().calibration.active;
  if (a && a.ratings.length > 0) return;
  patch({ mode });
  if (a) void saveActive({ ...a, ratingScale: mode, head: null });
}

/** The image the app suggests rating next (active selection), or null when all are rated. */
export function nextToRate(exclude: ReadonlySet<string> = skipped): string | null {
  const { images, calibration } = store();
  const rated = new Set(calibration.active?.ratings.map((r) => r.imageKey) ?? []);
  const ratedIds = new Set<string>();
  const candidates: { id: string; score: number }[] = [];
  for (const id of images.order) {
    const it = images.byId[id]!;
    const key = it.contentKey;
    if (it.status !== 'scored' || !it.score || !key) continue;
    if (rated.has(key)) ratedIds.add(id);
    if (exclude.has(id) && !rated.has(key)) continue;
    candidates.push({ id, score: it.score.raw });
  }
  return proposeNext(candidates, ratedIds);
}

export function openRating(imageId?: string): void {
  skipped.clear();
  patch({ rating: { open: true, imageId: imageId ?? nextToRate() } });
}

export function closeRating(): void {
  patch({ rating: { open: false, imageId: null } });
}

export function skipImage(): void {
  const id = store().calibration.rating.imageId;
  if (id) skipped.add(id);
  const next = nextToRate();
  patch({ rating: { open: true, imageId: next ?? id } });
}

/** Stores one rating now (IndexedDB), refits (debounced) and moves on to the next proposal. */
export async function rate(imageId: string, value: number): Promise<void> {
  const { calibration, images } = store();
  const item = images.byId[imageId];
  const key = item?.contentKey;
  if (!key || !item) return;
  const range = RATING_RANGES[calibration.active?.ratingScale ?? calibration.mode];
  if (!Number.isFinite(value) || value < range.min || value > range.max) return;
  const active = calibration.active ?? (await createProfile('My scale'));
  const rater = store().calibration.rater.trim() || 'me';
  undoHistory.push({ profileId: active.id, ratings: active.ratings });
  // A rater's new rating of an image replaces their earlier one.
  const ratings = [...active.ratings.filter((r) => !(r.imageKey === key && r.rater === rater)), { imageKey: key, imageName: item.name, rater, value, at: new Date().toISOString() }];
  const next = { ...store().calibration.active!, ratings, updatedAt: new Date().toISOString() };
  // The store and the proposal move on at once (a fast second key press rates the next image), then disk.
  patch({ active: next });
  patch({ rating: { open: true, imageId: nextToRate() ?? imageId } });
  scheduleFit();
  await saveActive(next);
}

export async function undoRating(): Promise<void> {
  const a = store().calibration.active;
  const last = undoHistory.pop();
  if (!a || !last || last.profileId !== a.id) return;
  const removed = a.ratings.find((r) => !last.ratings.includes(r));
  // Undone to nothing: no head either, so the model's own scale returns.
  await saveActive({ ...a, ratings: last.ratings, head: last.ratings.length ? a.head : null, updatedAt: new Date().toISOString() });
  scheduleFit();
  if (removed) {
    const id = store().images.order.find((i) => store().images.byId[i]!.contentKey === removed.imageKey);
    if (id) patch({ rating: { ...store().calibration.rating, imageId: id } });
  }
}
