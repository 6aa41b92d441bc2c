// Calibration profiles: load the ones for this model version from IndexedDB (profile-db.ts), create,
// switch, rename, reset, delete, import and export them, and follow what other tabs change. Every change
// goes through profile-writer.ts (on disk, or queued in memory while storage fails); the fit follows (fitting.ts).
import { type CalibrationProfile, parseProfile, ProfileError, toProfileFile } from '../../core/calibration/profile.ts';
import { downloadText, stamp } from '../../shared/ui/download.ts';
import type { ProfileSummary } from '../../store/calibration-slice.ts';
import { useLeaf } from '../../store/store.ts';
import { ratingKey, scheduleFit, watchScoredImages } from './fitting.ts';
import { profileDb, type ProfileOp } from './profile-db.ts';
import { onChangedElsewhere } from './profile-sync.ts';
import { commit, flush, guardUnsavedOnUnload, reportStorageProblem, whenActiveGone, withPending } from './profile-writer.ts';
import { undoHistory } from './undo-history.ts';

const store = () => useLeaf.getState();
const patch = (p: Parameters<ReturnType<typeof store>['patchCalibration']>[0]) => store().patchCalibration(p);

let started = false;

function summaries(all: readonly CalibrationProfile[]): ProfileSummary[] {
  return all.map((p) => ({ id: p.id, name: p.name, ratings: p.ratings.length, updatedAt: p.updatedAt })).sort((a, b) => a.name.localeCompare(b.name));
}

function model() {
  const m = store().engine.model;
  return m ? { name: m.name, version: m.version } : null;
}

function forThisModel(all: readonly CalibrationProfile[]): CalibrationProfile[] {
  const m = model();
  return all.filter((p) => m && p.model.name === m.name && p.model.version === m.version);
}

/** Starts once the engine is ready: loads this model's profiles, then keeps the fit up to date. */
export function startCalibration(): void {
  if (started) return;
  started = true;
  guardUnsavedOnUnload();
  onChangedElsewhere((ids) => void reloadChanged(ids));
  whenActiveGone(letGo);
  void (async () => {
    try {
      const [all, activeId, rater] = await Promise.all([profileDb.all(), profileDb.getSetting<string>('active'), profileDb.getSetting<string>('rater')]);
      const mine = forThisModel(all);
      const active = mine.find((p) => p.id === activeId) ?? null;
      patch({ profiles: summaries(mine), active, rater: rater ?? store().calibration.rater, mode: active?.ratingScale ?? store().calibration.mode });
      scheduleFit(0);
    } catch (err) {
      reportStorageProblem(err);
    }
  })();
  watchScoredImages();
}

function sameRatings(a: CalibrationProfile, b: CalibrationProfile): boolean {
  return a.ratingScale === b.ratingScale && ratingKey(a.ratings) === ratingKey(b.ratings);
}

/** The active profile was deleted in another tab: let it go rather than write this tab's copy back. */
function letGo(a: CalibrationProfile): void {
  undoHistory.clear();
  patch({ active: null, notice: { kind: 'ok', text: `Profile “${a.name}” was deleted in another tab.` } });
  scheduleFit(0);
  void refreshList();
}

/** Another tab wrote these profiles: show what is on disk now, and refit only if the ratings changed. */
async function reloadChanged(ids: readonly string[]): Promise<void> {
  try {
    await refreshList();
    const a = store().calibration.active;
    if (!a || !ids.includes(a.id)) return;
    const now = withPending(a.id, (await profileDb.get(a.id)) ?? null);
    if (store().calibration.active?.id !== a.id) return; // switched meanwhile
    if (!now) {
      letGo(a);
      return;
    }
    const refit = !sameRatings(store().calibration.active!, now);
    patch({ active: now, mode: now.ratingScale });
    if (refit) scheduleFit();
  } catch (err) {
    reportStorageProblem(err);
  }
}

async function setActive(p: CalibrationProfile | null): Promise<void> {
  patch({ active: p, mode: p?.ratingScale ?? store().calibration.mode });
  // Which profile is active is a convenience: a failed write only means the next visit starts without it.
  await profileDb.setSetting('active', p?.id ?? null).catch(() => undefined);
  await refreshList();
  scheduleFit(0);
}

/** The profile list: what is on disk with this tab's unsaved changes; the active one always appears. */
async function refreshList(): Promise<void> {
  const onDisk = await profileDb.all().catch(() => [] as CalibrationProfile[]);
  const byId = new Map(onDisk.map((p) => [p.id, p]));
  const a = store().calibration.active;
  if (a && !byId.has(a.id)) byId.set(a.id, a);
  const all = [...byId.keys()].map((id) => withPending(id, byId.get(id) ?? null)).filter((p): p is CalibrationProfile => p !== null);
  patch({ profiles: summaries(forThisModel(all)) });
}

/** Changes the active profile: shown at once, written (or queued) and the list refreshed. */
async function changeActive(op: ProfileOp): Promise<void> {
  const a = store().calibration.active;
  if (!a) return;
  await commit(a.id, op);
  await refreshList();
}

export async function createProfile(name: string): Promise<CalibrationProfile> {
  const m = model();
  if (!m) throw new Error('the model is not loaded yet');
  const now = new Date().toISOString();
  const p: CalibrationProfile = {
    schema: 'leaf-calibration-profile',
    version: 1,
    id: globalThis.crypto.randomUUID(),
    name: name.trim() || 'My scale',
    createdAt: now,
    updatedAt: now,
    model: m,
    ratingScale: store().calibration.mode,
    ratings: [],
    head: null,
  };
  // Active before the first await: a second rating key pressed meanwhile goes to this profile, not a new one.
  undoHistory.clear();
  patch({ active: p });
  await commit(p.id, (stored) => stored ?? p);
  await setActive(store().calibration.active?.id === p.id ? store().calibration.active : p);
  return p;
}

export async function switchProfile(id: string | null): Promise<void> {
  undoHistory.clear();
  if (id === null) return setActive(null);
  const onDisk = await profileDb.get(id).catch(() => undefined);
  await setActive(withPending(id, onDisk ?? null));
}

export async function renameProfile(name: string): Promise<void> {
  if (!name.trim()) return;
  await changeActive((s) => s && { ...s, name: name.trim(), updatedAt: new Date().toISOString() });
  scheduleFit(0);
}

/** Forgets the active profile's ratings and head (the profile and its name stay). */
export async function resetProfile(): Promise<void> {
  undoHistory.clear();
  await changeActive((s) => s && { ...s, ratings: [], head: null, updatedAt: new Date().toISOString() });
  scheduleFit(0);
}

export async function deleteProfile(): Promise<void> {
  const a = store().calibration.active;
  if (!a) return;
  undoHistory.clear();
  await commit(a.id, () => null);
  await setActive(null);
}

/** Writes queued changes again (the storage notice's Retry). */
export async function retrySaving(): Promise<void> {
  await flush();
  await refreshList();
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
    await commit(body.id, () => body);
    undoHistory.clear();
    await setActive(withPending(body.id, body));
    patch({ notice: { kind: 'ok', text: `Imported profile “${body.name}” (${body.ratings.length} ratings).` } });
  } catch (err) {
    const text = err instanceof ProfileError ? err.message : `Import failed: ${err instanceof Error ? err.message : String(err)}`;
    patch({ notice: { kind: 'error', text } });
  }
}
