// Scores this browser has already computed, kept in IndexedDB by the worker, so reopening a folder (or the
// same photos from anywhere) scores nothing again: results are keyed by model version, mode and the file's
// content sha256. A second store maps a file's identity (name, size, last modified: what the browser knows
// without reading it) to its content key, so a reopen does not even read and hash the files, the way git
// trusts a file's stat. Storage is a convenience: any failure turns the store off and scoring goes on.
import type { ScoreMode } from '../core/model/score-mode.ts';
import { databaseOpener, request, transactionDone } from '../shared/indexed-db.ts';
import { identityKey, readStoredFeatures, readStoredScore, resultKey, type StoredScore } from './score-record.ts';

const DB_NAME = 'leaf-scores';
/** 2: feature vectors moved out of the result records into their own store (read only for calibration). */
const DB_VERSION = 2;
const STORES = ['results', 'features', 'identities'] as const;

export interface Lookup {
  /** Content key known from the file's identity (no need to read and hash it), else undefined. */
  readonly contentKey?: string;
  readonly stored?: StoredScore;
}

export class ScoreStore {
  private readonly open = databaseOpener(DB_NAME, DB_VERSION, (db) => {
    // Scores of an older layout are simply scored again.
    for (const name of [...db.objectStoreNames]) db.deleteObjectStore(name);
    for (const name of STORES) db.createObjectStore(name);
  });
  /** Why the store is off (null while it works). */
  private off: string | null = null;

  constructor(
    private readonly modelVersion: string,
    private readonly dims: number,
    private readonly onOff: (reason: string) => void,
  ) {}

  private turnOff(err: unknown): void {
    if (this.off) return;
    this.off = err instanceof Error ? err.message : String(err);
    this.onOff(this.off);
  }

  /** Opens the database ahead of the first lookup (a fresh profile creates it then); errors wait for the lookup. */
  warm(): void {
    if (this.off || typeof indexedDB === 'undefined') return;
    this.open().catch(() => undefined);
  }

  /** One read transaction for a batch of files: their content keys by identity, and stored results. */
  async lookup(files: readonly Blob[], mode: ScoreMode): Promise<Lookup[]> {
    const none = files.map(() => ({}));
    if (this.off || typeof indexedDB === 'undefined') return none;
    try {
      const db = await this.open();
      const tx = db.transaction(['identities', 'results'], 'readonly');
      const identities = tx.objectStore('identities');
      const results = tx.objectStore('results');
      const found = await Promise.all(
        files.map(async (file): Promise<Lookup> => {
          const id = identityKey(file);
          const contentKey = id === null ? undefined : ((await request(identities.get(id))) as string | undefined);
          if (typeof contentKey !== 'string') return {};
          const stored = readStoredScore(await request(results.get(resultKey(this.modelVersion, mode, contentKey))));
          return stored ? { contentKey, stored } : { contentKey };
        }),
      );
      return found;
    } catch (err) {
      this.turnOff(err);
      return none;
    }
  }

  /**
   * A stored result found by content, for a file whose identity was not known (copied, renamed or touched
   * since it was scored); its identity is recorded with it, so next time the file is not even read.
   */
  async byContent(file: Blob, contentKey: string, mode: ScoreMode): Promise<StoredScore | null> {
    if (this.off || typeof indexedDB === 'undefined') return null;
    try {
      const db = await this.open();
      // Read-only first: for a new photo (the usual case) this is all, and it does not queue behind saves' locks.
      const stored = readStoredScore(await request(db.transaction('results', 'readonly').objectStore('results').get(resultKey(this.modelVersion, mode, contentKey))));
      const id = identityKey(file);
      if (stored && id !== null) {
        const tx = db.transaction('identities', 'readwrite');
        tx.objectStore('identities').put(contentKey, id);
        await transactionDone(tx, 'recording a file identity');
      }
      return stored;
    } catch (err) {
      this.turnOff(err);
      return null;
    }
  }

  /** Feature vectors of stored scores (one read transaction); a missing or damaged one is left out. */
  async features(keys: readonly { contentKey: string; mode: ScoreMode }[]): Promise<(Float32Array | null)[]> {
    if (this.off || typeof indexedDB === 'undefined' || keys.length === 0) return keys.map(() => null);
    try {
      const store = (await this.open()).transaction('features', 'readonly').objectStore('features');
      return await Promise.all(keys.map(async (k) => readStoredFeatures(await request(store.get(resultKey(this.modelVersion, k.mode, k.contentKey))), this.dims)));
    } catch (err) {
      this.turnOff(err);
      return keys.map(() => null);
    }
  }

  /** Saves a freshly scored file; resolves when written (or when the store turned off). */
  async save(file: Blob, contentKey: string, mode: ScoreMode, stored: StoredScore, features: Float32Array): Promise<void> {
    if (this.off || typeof indexedDB === 'undefined') return;
    try {
      const db = await this.open();
      const tx = db.transaction(STORES, 'readwrite');
      const id = identityKey(file);
      if (id !== null) tx.objectStore('identities').put(contentKey, id);
      const key = resultKey(this.modelVersion, mode, contentKey);
      tx.objectStore('results').put(stored, key);
      tx.objectStore('features').put(features, key);
      await transactionDone(tx, 'saving a score');
    } catch (err) {
      this.turnOff(err);
    }
  }

  /** Forgets every stored score and identity (all models). */
  async clear(): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORES, 'readwrite');
    for (const name of STORES) tx.objectStore(name).clear();
    await transactionDone(tx, 'clearing stored scores');
  }
}
