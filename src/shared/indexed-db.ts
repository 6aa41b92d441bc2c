// Small IndexedDB helpers shared by the features that keep data in the browser (profiles, culling decisions).

/** Resolves when the transaction commits; rejects with its error (or a sentence naming `what`) otherwise. */
export function transactionDone(tx: IDBTransaction, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error(`${what} failed`));
    tx.onabort = () => reject(tx.error ?? new Error(`${what} was aborted (disk full?)`));
  });
}
