// Calibration orchestration as plain functions outside components (issue #4): hash images so ratings
// re-attach across sessions, store every rating at once, refit in the worker (debounced, superseded by
// newer requests), push calibrated scores into the store, and manage / import / export profiles.
import { proposeNext } from '../../core/calibration/active.ts';
import { parseProfile, type CalibrationProfile, ProfileError, type ProfileRating, RATING_RANGES, type RatingScale, toProfileFile } from '../../core/calibration/profile.ts';
import { sha256HexAsync } from '../../core/model/sha256.ts';
import { fitCalibrationInWorker, fileOf } from '../../engine-client/scoring-service.ts';
import type { DisplayCurve } from '../../shared/score-scale.ts';
import type { ProfileSummary } from '../../store/calibration-slice.ts';
import { useLeaf } from '../../store/store.ts';
import { downloadText, stamp } from '../export/download.ts';
import { profileDb } from './profile-db.ts';

const DEBOUNCE_MS = 300;
const store = () => useLeaf.getState();
const patch = (p: Parameters<ReturnType<typeof store>['patchCalibration']>[0]) => store().patchCalibration(p);

let started = false;
let fitTimer: ReturnType<typeof setTimeout> | null = null;
let fitSeq = 0;
const hashing = new Set<string>();
const undoStack: { profileId: string; ratings: readonly ProfileRating[] }[] = [];
const skipped = new Set<string>();

function summaries(all: readonly CalibrationProfile[]): ProfileSummary[] {
  return all.map((p) => ({ id: p.id, name: p.name, ratings: p.ratings.length, updatedAt: p.updatedAt })).sort((a, b) => a.name.localeCompare(b.name));
}

function model() {
  const m = store().engine.model;
  return m ? { name: m.name, version: m.version } : null;
}

/** Starts once the engine is ready: loads profiles, then keeps image hashes and the fit up to date. */
export function startCalibration(): void {
  if (started) return;
  started = true;
  void (async () => {
    try {
      const [all, activeId, rater] = await Promise.all([profileDb.all(), profileDb.getSetting<string>('active'), profileDb.getSetting<string>('rater')]);
      const m = model();
      const mine = all.filter((p) => m && p.model.name === m.name && p.model.version === m.version);
      const active = mine.find((p) => p.id === activeId) ?? null;
      patch({ profiles: summaries(mine), active, rater: rater ?? store().calibration.rater, mode: active?.ratingScale ?? store().calibration.mode });
      scheduleFit(0);
    } catch (err) {
      patch({ status: 'error', error: `Calibration profiles unavailable: ${err instanceof Error ? err.message : String(err)}` });
    }
  })();
  let lastScored = -1;
  useLeaf.subscribe((s, prev) => {
    if (s.images.byId === prev.images.byId) return;
    hashNew();
    const scored = s.images.order.filter((id) => s.images.byId[id]!.status === 'scored').length;
    if (scored !== lastScored) {
      lastScored = scored;
      if (store().calibration.active) scheduleFit();
    }
  });
}

function hashNew(): void {
  const { images, calibration } = store();
  for (const id of images.order) {
    if (calibration.imageKeys[id] || hashing.has(id)) continue;
    const file = fileOf(id);
    if (!file) continue;
    hashing.add(id);
    file
      .arrayBuffer()
      .then((b) => sha256HexAsync(b))
      .then((key) => {
        hashing.delete(id);
        if (!store().images.byId[id]) return;
        patch({ imageKeys: { ...store().calibration.imageKeys, [id]: key } });
        const active = store().calibration.active;
        if (active?.ratings.some((r) => r.imageKey === key)) scheduleFit();
      })
      .catch(() => hashing.delete(id));
  }
}

/** Image ids by content key, among scored images. */
function idsByKey(): Map<string, string[]> {
  const { images, calibration } = store();
  const out = new Map<string, string[]>();
  for (const id of images.order) {
    const key = calibration.imageKeys[id];
    if (!key || images.byId[id]!.status !== 'scored') continue;
    out.set(key, [...(out.get(key) ?? []), id]);
  }
  return out;
}

export function scheduleFit(delay = DEBOUNCE_MS): void {
  if (fitTimer) clearTimeout(fitTimer);
  fitTimer = setTimeout(() => void fitNow(), delay);
}

function clearFit(): void {
  patch({ values: {}, intervals: {}, fit: null, status: 'idle', error: null });
  store().setDisplayCurve(null);
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
    const result = await fitCalibrationInWorker({ ratings, range, storedHead: ratings.length === 0 ? active.head : null });
    if (!result || seq !== fitSeq) return; // superseded: a newer fit is on its way
    const { values, intervals, head, ...fit } = result;
    const profile: DisplayCurve | null =
      result.curve.length >= 2
        ? {
            id: active.id,
            name: active.name,
            modelName: m.name,
            modelVersion: m.version,
            scale: { name: active.ratingScale === 'acr5' ? 'your MOS (ACR)' : 'your MOS', min: range.min, max: range.max },
            knots: result.curve.map((c) => ({ raw: c.score, mapped: c.value })),
          }
        : null;
    patch({ values, intervals, fit, status: 'idle', error: null });
    store().setDisplayCurve(profile);
    // The stored head is the fit on every rating; a fit on part of them (images missing) does not replace it.
    if (ratings.length > 0 && allHere && store().calibration.active?.id === active.id) {
      const updated = { ...store().calibration.active!, head };
      patch({ active: updated });
      await profileDb.put(updated);
    }
  } catch (err) {
    if (seq === fitSeq) patch({ status: 'error', error: err instanceof Error ? err.message : String(err) });
  }
}

// ---- profiles ----

function newId(): string {
  return globalThis.crypto.randomUUID();
}

async function setActive(p: CalibrationProfile | null): Promise<void> {
  patch({ active: p, mode: p?.ratingScale ?? store().calibration.mode });
  await profileDb.setSetting('active', p?.id ?? null);
  await refreshList();
  scheduleFit(0);
}

async function refreshList(): Promise<void> {
  const m = model();
  const all = await profileDb.all();
  patch({ profiles: summaries(all.filter((p) => m && p.model.name === m.name && p.model.version === m.version)) });
}

export async function createProfile(name: string): Promise<CalibrationProfile> {
  const m = model();
  if (!m) throw new Error('the model is not loaded yet');
  const now = new Date().toISOString();
  const p: CalibrationProfile = {
    schema: 'leaf-calibration-profile',
    version: 1,
    id: newId(),
    name: name.trim() || 'My scale',
    createdAt: now,
    updatedAt: now,
    model: m,
    ratingScale: store().calibration.mode,
    ratings: [],
    head: null,
  };
  await profileDb.put(p);
  await setActive(p);
  return p;
}

export async function switchProfile(id: string | null): Promise<void> {
  undoStack.length = 0;
  if (id === null) return setActive(null);
  const p = (await profileDb.all()).find((x) => x.id === id) ?? null;
  await setActive(p);
}

async function saveActive(next: CalibrationProfile): Promise<void> {
  patch({ active: next });
  await profileDb.put(next);
  await refreshList();
}

export async function renameProfile(name: string): Promise<void> {
  const a = store().calibration.active;
  if (!a || !name.trim()) return;
  await saveActive({ ...a, name: name.trim(), updatedAt: new Date().toISOString() });
  scheduleFit(0);
}

/** Forgets the active profile's ratings and head (the profile and its name stay). */
export async function resetProfile(): Promise<void> {
  const a = store().calibration.active;
  if (!a) return;
  undoStack.length = 0;
  await saveActive({ ...a, ratings: [], head: null, updatedAt: new Date().toISOString() });
  scheduleFit(0);
}

export async function deleteProfile(): Promise<void> {
  const a = store().calibration.active;
  if (!a) return;
  await profileDb.delete(a.id);
  await setActive(null);
}

export async function exportProfile(): Promise<void> {
  const a = store().calibration.active;
  if (!a) return;
  const file = await toProfileFile(a);
  const safe = a.name.replace(/[^\w-]+/g, '_').slice(0, 40) || 'profile';
  downloadText(`leaf-profile-${safe}-${stamp(new Date())}.json`, JSON.stringify(file, null, 2), 'application/json');
}

/** Validates and adds (or replaces, same id) a profile; a refused file changes nothing. */
export async function importProfile(file: File): Promise<void> {
  const m = model();
  if (!m) return;
  try {
    if (file.size > 20_000_000) throw new ProfileError('bad-value', 'This file is too large to be a LEAF calibration profile.');
    const parsed = await parseProfile(await file.text(), m);
    const { checksum: _checksum, ...body } = parsed;
    await profileDb.put(body);
    undoStack.length = 0;
    await setActive(body);
    patch({ notice: { kind: 'ok', text: `Imported profile “${body.name}” (${body.ratings.length} ratings).` } });
  } catch (err) {
    const text = err instanceof ProfileError ? err.message : `Import failed: ${err instanceof Error ? err.message : String(err)}`;
    patch({ notice: { kind: 'error', text } });
  }
}

// ---- rating ----

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
    const key = calibration.imageKeys[id];
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
  const key = calibration.imageKeys[imageId];
  const item = images.byId[imageId];
  if (!key || !item) return;
  const range = RATING_RANGES[calibration.active?.ratingScale ?? calibration.mode];
  if (!Number.isFinite(value) || value < range.min || value > range.max) return;
  const active = calibration.active ?? (await createProfile('My scale'));
  const rater = store().calibration.rater.trim() || 'me';
  undoStack.push({ profileId: active.id, ratings: active.ratings });
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
  const last = undoStack.pop();
  if (!a || !last || last.profileId !== a.id) return;
  const removed = a.ratings.find((r) => !last.ratings.includes(r));
  // Undone to nothing: no head either, so the model's own scale returns.
  await saveActive({ ...a, ratings: last.ratings, head: last.ratings.length ? a.head : null, updatedAt: new Date().toISOString() });
  scheduleFit();
  if (removed) {
    const id = store().images.order.find((i) => store().calibration.imageKeys[i] === removed.imageKey);
    if (id) patch({ rating: { ...store().calibration.rating, imageId: id } });
  }
}
