// Every change to a profile goes through here: it shows at once (the store), then is written to IndexedDB as
// a function of what is stored (profile-db.ts), so a change made in another tab is kept, not overwritten.
// A write that fails (storage full, blocked) stays queued in memory: the UI says so, the next change, a
// retry or the timer writes the whole queue, and closing the tab asks first. Nothing is dropped silently.
import type { CalibrationProfile } from '../../core/calibration/profile.ts';
import { useLeaf } from '../../store/store.ts';
import { describeStorageError, type PendingOp, profileDb, type ProfileOp } from './profile-db.ts';
import { announceChanged } from './profile-sync.ts';

const RETRY_MS = 30_000;
const store = () => useLeaf.getState();
const patch = (p: Parameters<ReturnType<typeof store>['patchCalibration']>[0]) => store().patchCalibration(p);

const pending: PendingOp[] = [];
let chain: Promise<boolean> = Promise.resolve(true);
let retryTimer: ReturnType<typeof setTimeout> | null = null;

function applyOp(p: CalibrationProfile | null, op: ProfileOp): CalibrationProfile | null {
  const next = op(p ?? undefined);
  return next === undefined ? p : next;
}

/** `record` (as stored) with this tab's unsaved changes to it on top. */
export function withPending(id: string, record: CalibrationProfile | null): CalibrationProfile | null {
  return pending.filter((o) => o.id === id).reduce((p, o) => applyOp(p, o.op), record);
}

/** Shows `op` applied to the active profile now (when it is `id`), and writes it; false while storage fails. */
export function commit(id: string, op: ProfileOp): Promise<boolean> {
  const a = store().calibration.active;
  if (a?.id === id) {
    const next = applyOp(a, op);
    if (next !== a) patch({ active: next });
  }
  pending.push({ id, op });
  return flush();
}

/** Writes every queued change (one at a time: a batch is written whole or not at all). */
export function flush(): Promise<boolean> {
  chain = chain.then(writeQueued);
  return chain;
}

/** Reports that storage could not be read (at start): ratings then live in this tab until it works. */
export function reportStorageProblem(err: unknown): void {
  patch({ storage: { problem: describeStorageError(err), unsaved: pending.length } });
}

/** Closing or reloading the tab with unsaved changes asks first (the browser's own dialog). */
export function guardUnsavedOnUnload(): void {
  window.addEventListener('beforeunload', (e) => {
    if (pending.length > 0) e.preventDefault();
  });
}

async function writeQueued(): Promise<boolean> {
  if (pending.length === 0) return true;
  const batch = pending.slice();
  try {
    const { stored, changed } = await profileDb.apply(batch);
    pending.splice(0, batch.length);
    announceChanged(changed);
    adopt(stored);
    const hadProblem = store().calibration.storage.problem !== null;
    patch({ storage: { problem: null, unsaved: pending.length } });
    if (hadProblem) {
      // The choice of active profile failed to save too: without it the next visit would open on no profile.
      await profileDb.setSetting('active', store().calibration.active?.id ?? null).catch(() => undefined);
      patch({ notice: { kind: 'ok', text: 'Saved: every rating is stored in this browser again.' } });
    }
    return true;
  } catch (err) {
    patch({ storage: { problem: describeStorageError(err), unsaved: pending.length } });
    retryTimer ??= setTimeout(() => {
      retryTimer = null;
      void flush();
    }, RETRY_MS);
    return false;
  }
}

let activeGone: (profile: CalibrationProfile) => void = () => undefined;

/** What to do when the active profile turns out to be deleted by another tab (profiles.ts decides). */
export function whenActiveGone(handler: (profile: CalibrationProfile) => void): void {
  activeGone = handler;
}

/** The active profile becomes what is on disk now (another tab's changes included) plus what is still queued. */
function adopt(stored: ReadonlyMap<string, CalibrationProfile | null>): void {
  const a = store().calibration.active;
  if (!a || !stored.has(a.id)) return;
  const next = withPending(a.id, stored.get(a.id) ?? null);
  // This tab's own delete clears `active` before writing, so an active profile missing on disk was
  // deleted elsewhere: this write (e.g. a refit's) may land before the other tab's message does.
  if (next === null) activeGone(a);
  else patch({ active: next });
}
