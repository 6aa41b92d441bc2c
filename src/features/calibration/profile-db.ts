// Calibration profiles in IndexedDB (raw API, no dependency): one object store of CalibrationProfile records by
// id, one of small settings (active profile, rater name). Changes are functions of the stored record applied
// inside one readwrite transaction, so two tabs editing one profile both land: IndexedDB runs overlapping
// readwrite transactions one after the other, and each change reads what the other tab wrote.
import type { CalibrationProfile } from '../../core/calibration/profile.ts';
import { transactionDone } from '../../shared/indexed-db.ts';

const DB_NAME = 'leaf-calibration';
const DB_VERSION = 1;
let dbPromise: Promise<IDBDatabase> | null = null;

/** A change to one profile: the next record, null to delete it, or the same record (or undefined) for no change. */
export type ProfileOp = (stored: CalibrationProfile | undefined) => CalibrationProfile | null | undefined;

export interface PendingOp {
  readonly id: string;
  readonly op: ProfileOp;
}

/** What each touched profile is now on disk (null: deleted or absent), and which of them changed. */
export interface ApplyResult {
  readonly stored: ReadonlyMap<string, CalibrationProfile | null>;
  readonly changed: readonly string[];
}

function open(): Promise<IDBDatabase> {
  dbPromise ??= new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') throw new DOMException('IndexedDB is not available in this browser', 'InvalidStateError');
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      req.result.createObjectStore('profiles', { keyPath: 'id' });
      req.result.createObjectStore('settings');
    };
    req.onsuccess = () => {
      const db = req.result;
      // A newer deploy in another tab wants to upgrade the database: step aside instead of blocking it.
      db.onversionchange = () => {
        db.close();
        dbPromise = null;
      };
      resolve(db);
    };
    req.onerror = () => reject(req.error ?? new Error('IndexedDB unavailable'));
  }).catch((err: unknown) => {
    dbPromise = null; // a later call tries again (storage may have been allowed meanwhile)
    throw err;
  });
  return dbPromise;
}

const done = (tx: IDBTransaction) => transactionDone(tx, 'IndexedDB write');

async function run<T>(store: 'profiles' | 'settings', mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const tx = (await open()).transaction(store, mode);
  const req = op(tx.objectStore(store));
  await done(tx);
  return req.result;
}

/** Applies the ops in order, per profile, on what is stored now; all in one transaction (all or nothing). */
async function apply(ops: readonly PendingOp[]): Promise<ApplyResult> {
  const tx = (await open()).transaction('profiles', 'readwrite');
  const store = tx.objectStore('profiles');
  const ids = [...new Set(ops.map((o) => o.id))];
  const stored = new Map<string, CalibrationProfile | null>();
  const changed: string[] = [];
  const finished = done(tx);
  // Every read is requested up front; the writes are queued in their success callbacks, so the
  // transaction stays active until the last one.
  for (const id of ids) {
    const get = store.get(id) as IDBRequest<CalibrationProfile | undefined>;
    get.onsuccess = () => {
      const before = get.result;
      let next: CalibrationProfile | null | undefined = before;
      for (const o of ops) {
        if (o.id !== id) continue;
        const r = o.op(next ?? undefined);
        if (r !== undefined) next = r;
      }
      if (next === null && before) {
        store.delete(id);
        changed.push(id);
      } else if (next && next !== before) {
        store.put(next);
        changed.push(id);
      }
      stored.set(id, next ?? null);
    };
  }
  await finished;
  return { stored, changed };
}

export const profileDb = {
  all: () => run<CalibrationProfile[]>('profiles', 'readonly', (s) => s.getAll() as IDBRequest<CalibrationProfile[]>),
  get: (id: string) => run<CalibrationProfile | undefined>('profiles', 'readonly', (s) => s.get(id) as IDBRequest<CalibrationProfile | undefined>),
  apply,
  getSetting: <T>(key: string) => run<T | undefined>('settings', 'readonly', (s) => s.get(key) as IDBRequest<T | undefined>),
  setSetting: (key: string, value: unknown) => run('settings', 'readwrite', (s) => s.put(value, key)).then(() => undefined),
};

/** A sentence a user can act on, for an error from IndexedDB. */
export function describeStorageError(err: unknown): string {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  if (name === 'QuotaExceededError') return 'The browser’s storage for this site is full';
  if (name === 'SecurityError' || name === 'InvalidStateError' || name === 'UnknownError') {
    return 'The browser does not allow this site to store data (private window or site settings)';
  }
  return `Saving failed (${err instanceof Error ? err.message : String(err)})`;
}
