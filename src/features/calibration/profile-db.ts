// Calibration profiles in IndexedDB (raw API, no dependency): one object store of CalibrationProfile records by
// id, one of small settings (active profile, rater name). Every write is its own transaction, awaited, so
// a rating is on disk the moment the promise resolves.
import type { CalibrationProfile } from '../../core/calibration/profile.ts';

const DB_NAME = 'leaf-calibration';
const DB_VERSION = 1;
let dbPromise: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      req.result.createObjectStore('profiles', { keyPath: 'id' });
      req.result.createObjectStore('settings');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB unavailable'));
  });
  return dbPromise;
}

async function run<T>(store: 'profiles' | 'settings', mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const req = op(tx.objectStore(store));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
  });
}

export const profileDb = {
  all: () => run<CalibrationProfile[]>('profiles', 'readonly', (s) => s.getAll() as IDBRequest<CalibrationProfile[]>),
  put: (p: CalibrationProfile) => run('profiles', 'readwrite', (s) => s.put(p)).then(() => undefined),
  delete: (id: string) => run('profiles', 'readwrite', (s) => s.delete(id)).then(() => undefined),
  getSetting: <T>(key: string) => run<T | undefined>('settings', 'readonly', (s) => s.get(key) as IDBRequest<T | undefined>),
  setSetting: (key: string, value: unknown) => run('settings', 'readwrite', (s) => s.put(value, key)).then(() => undefined),
};
