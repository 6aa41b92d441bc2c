// Culling decisions in IndexedDB, one record per file content key (so a reload, or the same photo opened
// from another folder, gets its stars and flags back), plus the culling settings. Raw API, no dependency.
import type { Decision, Decisions } from '../../core/culling/decisions.ts';
import type { CullSettings } from '../../store/culling-slice.ts';
import { databaseOpener, transactionDone } from '../../shared/indexed-db.ts';

const DB_NAME = 'leaf-culling';
const DB_VERSION = 1;
const SETTINGS_KEY = 'settings';
const open = databaseOpener(DB_NAME, DB_VERSION, (db) => {
  db.createObjectStore('decisions');
  db.createObjectStore('settings');
});

const done = (tx: IDBTransaction) => transactionDone(tx, 'saving decisions');

export async function loadCulling(): Promise<{ decisions: Decisions; settings: Partial<CullSettings> | undefined }> {
  const db = await open();
  const tx = db.transaction(['decisions', 'settings'], 'readonly');
  const decisions: Record<string, Decision> = {};
  const cursor = tx.objectStore('decisions').openCursor();
  cursor.onsuccess = () => {
    const c = cursor.result;
    if (!c) return;
    decisions[String(c.key)] = c.value as Decision;
    c.continue();
  };
  const settingsReq = tx.objectStore('settings').get(SETTINGS_KEY);
  await done(tx);
  return { decisions, settings: settingsReq.result as Partial<CullSettings> | undefined };
}

/** Writes changed records and deletes removed ones, in one transaction. */
export async function saveDecisions(put: readonly [string, Decision][], remove: readonly string[]): Promise<void> {
  if (put.length === 0 && remove.length === 0) return;
  const db = await open();
  const tx = db.transaction('decisions', 'readwrite');
  const store = tx.objectStore('decisions');
  for (const [key, d] of put) store.put(d, key);
  for (const key of remove) store.delete(key);
  await done(tx);
}

export async function saveCullSettings(settings: CullSettings): Promise<void> {
  const db = await open();
  const tx = db.transaction('settings', 'readwrite');
  tx.objectStore('settings').put(settings, SETTINGS_KEY);
  await done(tx);
}
