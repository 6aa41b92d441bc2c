// Rating: the Rate panel's flow. Propose the next image (active selection), store each rating at once
// (a rater's new rating of an image replaces their earlier one), skip, undo, rater name and rating scale.
import { proposeNext } from '../../core/calibration/active.ts';
import { type ProfileRating, RATING_RANGES, type RatingScale } from '../../core/calibration/profile.ts';
import { useLeaf } from '../../store/store.ts';
import { scheduleFit } from './fitting.ts';
import { profileDb } from './profile-db.ts';
import { commit } from './profile-writer.ts';
import { createProfile } from './profiles.ts';
import { undoHistory } from './undo-history.ts';

const store = () => useLeaf.getState();
const patch = (p: Parameters<ReturnType<typeof store>['patchCalibration']>[0]) => store().patchCalibration(p);

const skipped = new Set<string>();

export function setRater(name: string): void {
  patch({ rater: name });
  // The rater's name is a convenience: if storage fails it is simply asked again next visit.
  void profileDb.setSetting('rater', name).catch(() => undefined);
}

/** Switches ACR / slider; only while the active profile has no ratings (they share one scale). */
export function setRatingMode(mode: RatingScale): void {
  const a = store().calibration.active;
  if (a && a.ratings.length > 0) return;
  patch({ mode });
  if (a) void commit(a.id, (s) => (s && s.ratings.length === 0 ? { ...s, ratingScale: mode, head: null } : undefined));
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
  const slot = (r: ProfileRating) => r.imageKey === key && r.rater === rater;
  const added: ProfileRating = { imageKey: key, imageName: item.name, rater, value, at: new Date().toISOString() };
  undoHistory.push({ profileId: active.id, added, replaced: store().calibration.active?.ratings.find(slot) ?? null });
  // A rater's new rating of an image replaces their earlier one (applied to what is stored: other tabs' ratings stay).
  const saving = commit(active.id, (s) => s && { ...s, ratings: [...s.ratings.filter((r) => !slot(r)), added], updatedAt: added.at });
  // The store and the proposal move on at once (a fast second key press rates the next image), then disk.
  patch({ rating: { open: true, imageId: nextToRate() ?? imageId } });
  scheduleFit();
  await saving;
}

/** Takes back this tab's last rating (if it is still there) and restores the one it replaced. */
export async function undoRating(): Promise<void> {
  const a = store().calibration.active;
  const last = undoHistory.pop();
  if (!a || !last || last.profileId !== a.id) return;
  const { added, replaced } = last;
  const slot = (r: ProfileRating) => r.imageKey === added.imageKey && r.rater === added.rater;
  await commit(a.id, (s) => {
    if (!s?.ratings.some((r) => slot(r) && r.at === added.at && r.value === added.value)) return undefined;
    const ratings = [...s.ratings.filter((r) => !slot(r)), ...(replaced ? [replaced] : [])];
    // Undone to nothing: no head either, so the model's own scale returns.
    return { ...s, ratings, head: ratings.length ? s.head : null, updatedAt: new Date().toISOString() };
  });
  scheduleFit();
  const id = store().images.order.find((i) => store().images.byId[i]!.contentKey === added.imageKey);
  if (id) patch({ rating: { ...store().calibration.rating, imageId: id } });
}
