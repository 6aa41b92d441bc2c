// Small IndexedDB helpers shared by what keeps data in the browser (profiles, culling decisions, the worker's
// score store). No page state here: the worker imports this file too.

/** One request's result as a promise. */
export function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Resolves when the transaction commits; rejects with its error (or a sentence naming `what`) otherwise. */
export function transactionDone(tx: IDBTransaction, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error(`${what} failed`));
    tx.onabort = () => reject(tx.error ?? new Error(`${what} was aborted (disk full?)`));
  });
}

/**
 * Opens a database (creating or upgrading it with `upgrade`, told the version it had: 0 when new) on first use and keeps it. When another tab
 * opens a newer version, this connection closes and the next use reopens it, so an upgrade is never blocked
 * by a tab that stays open; a failed open is retried on the next use.
 */
export function databaseOpener(name: string, version: number, upgrade: (db: IDBDatabase, oldVersion: number) => void): () => Promise<IDBDatabase> {
  let db: Promise<IDBDatabase> | null = null;
  return () => {
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === 'undefined') throw new DOMException('IndexedDB is not available in this browser', 'InvalidStateError');
      const req = indexedDB.open(name, version);
      req.onupgradeneeded = (e) => upgrade(req.result, e.oldVersion);
      req.onsuccess = () => {
        const opened = req.result;
        opened.onversionchange = () => {
          opened.close();
          db = null;
        };
        resolve(opened);
      };
      req.onerror = () => reject(req.error ?? new Error(`IndexedDB could not open ${name}`));
      req.onblocked = () => reject(new Error(`IndexedDB: ${name} is held open at an older version by another tab`));
    }).catch((err: unknown) => {
      db = null;
      throw err;
    });
    return db;
  };
}
