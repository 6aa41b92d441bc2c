// Calibration profiles: load the ones for this model version from IndexedDB (profile-db.ts), create,
// switch, rename, reset, delete, import and export them. Every change is on disk before the promise
// resolves; the fit follows (fitting.ts).
import { type CalibrationProfile, parseProfile, ProfileError, toProfileFile } from '../../core/calibration/profile.ts';
import { downloadText, stamp } from '../../shared/ui/download.ts';
import type { ProfileSummary } from '../../store/calibration-slice.ts';
import { useLeaf } from '../../store/store.ts';
import { scheduleFit, watchScoredImages } from './fitting.ts';
import { profileDb } from './profile-db.ts';
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
  void (async () => {
    try {
      const [all, activeId, rater] = await Promise.all([profileDb.all(), profileDb.getSetting<string>('active'), profileDb.getSetting<string>('rater')]);
      const mine = forThisModel(all);
      const active = mine.find((p) => p.id === activeId) ?? null;
      patch({ profiles: summaries(mine), active, rater: rater ?? store().calibration.rater, mode: active?.ratingScale ?? store().calibration.mode });
      scheduleFit(0);
    } catch (err) {
      patch({ status: 'error', error: `Calibration profiles unavailable: ${err instanceof Error ? err.message : String(err)}` });
    }
  })();
  watchScoredImages();
}

async function setActive(p: CalibrationProfile | null): Promise<void> {
  patch({ active: p, mode: p?.ratingScale ?? store().calibration.mode });
  await profileDb.setSetting('active', p?.id ?? null);
  await refreshList();
  scheduleFit(0);
}

async function refreshList(): Promise<void> {
  patch({ profiles: summaries(forThisModel(await profileDb.all())) });
}

/** Stores the active profile's new state (store first, then disk) and refreshes the list. */
export async function saveActive(next: CalibrationProfile): Promise<void> {
  patch({ active: next });
  await profileDb.put(next);
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
  await profileDb.put(p);
  await setActive(p);
  return p;
}

export async function switchProfile(id: string | null): Promise<void> {
  undoHistory.clear();
  if (id === null) return setActive(null);
  const p = (await profileDb.all()).find((x) => x.id === id) ?? null;
  await setActive(p);
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
  undoHistory.clear();
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
    undoHistory.clear();
    await setActive(body);
    patch({ notice: { kind: 'ok', text: `Imported profile “${body.name}” (${body.ratings.length} ratings).` } });
  } catch (err) {
    const text = err instanceof ProfileError ? err.message : `Import failed: ${err instanceof Error ? err.message : String(err)}`;
    patch({ notice: { kind: 'error', text } });
  }
}
