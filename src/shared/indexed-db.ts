// Small IndexedDB helpers shared by what keeps data in the browser (profiles, culling decisions, the worker's
// score store). No page state here: the worker imports this file too.

/** Resolves when the transaction commits; rejects with its error (or a sentence naming `what`) otherwise. */
export function transactionDone(tx: IDBTransaction, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error(`${what} failed`));
    tx.onabort = () => reject(tx.error ?? new Error(`${what} was aborted (disk full?)`));
  });
}
