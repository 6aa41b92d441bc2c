// Scores this browser has already computed, kept in IndexedDB by the worker (layout: shared/score-db.ts),
// so reopening a folder (or the same photos from anywhere) scores nothing again. A file is found by its
// identity (name, size, last modified: what the browser knows without reading it), the way git trusts a
// file's stat, and otherwise by its content sha256 once hashed (a copied or renamed file). Storage is a
// convenience: any failure turns the store off and scoring goes on.
import type { ScoreMode } from '../core/model/score-mode.ts';
import { request, transactionDone } from '../shared/indexed-db.ts';
import { BY_CONTENT, openScoreDb, SCORE_STORES } from '../shared/score-db.ts';
import {
  folderRecordRange,
  folderSnapshotKey,
  identityKey,
  type KeptRecord,
  newestPerPath,
  readFolderSnapshot,
  readStoredFeatures,
  readStoredScore,
  recordContentKey,
  resultKey,
  scoreRecordKey,
  type StoredFile,
  type StoredScore,
  storedRecord,
  topFolder,
} from './score-record.ts';

export interface Lookup {
  /** Content key known from the file's identity (no need to read and hash it), else undefined. */
  readonly contentKey?: string;
  readonly stored?: StoredScore;
}

/** Wanted records side by side read as one range from this many on (fewer: a request each). */
const MIN_RANGE_RUN = 4;

export class ScoreStore {
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
    openScoreDb().catch(() => undefined);
  }

  /**
   * Stored results and known content keys of a batch of files, in one read transaction. Their records are
   * read as one key range (two requests, where a request per file made 5,000 photos cost seconds); files
   * without a record under this mode are looked up in the identity store, a request each.
   */
  async lookup(files: readonly StoredFile[], mode: ScoreMode): Promise<Lookup[]> {
    const none = files.map(() => ({}));
    if (this.off || typeof indexedDB === 'undefined') return none;
    try {
      const tx = (await openScoreDb()).transaction(['results', 'identities'], 'readonly');
      const identities = files.map((f) => identityKey(f.file));
      const keys = files.map((f, i) => (identities[i] === null ? null : scoreRecordKey(this.modelVersion, mode, f, '')));
      const records = await readRecords(tx.objectStore('results'), keys.filter((k): k is string => k !== null));
      const byIdentity = tx.objectStore('identities');
      return await Promise.all(
        files.map(async (_, i): Promise<Lookup> => {
          const identity = identities[i];
          if (identity === null || identity === undefined) return {};
          const record = records.get(keys[i]!);
          const stored = readStoredScore(record);
          const contentKey = recordContentKey(record);
          if (stored && contentKey) return { contentKey, stored };
          const known: unknown = await request(byIdentity.get(identity));
          return typeof known === 'string' ? { contentKey: known } : {};
        }),
      );
    } catch (err) {
      this.turnOff(err);
      return none;
    }
  }

  /**
   * The scores kept for a folder's files, read without the files themselves: a reopened folder shows them
   * while its files are read, each then checked against the size and date kept here. Read as one value
   * where the folder's records are kept together, else as their key range, kept together for next time in
   * the same transaction (a save meanwhile waits for it, and deletes it).
   */
  async keptUnder(folder: string, mode: ScoreMode): Promise<KeptRecord[]> {
    if (this.off || typeof indexedDB === 'undefined') return [];
    try {
      const db = await openScoreDb();
      const snapshotKey = folderSnapshotKey(this.modelVersion, mode, folder);
      const snapshot = readFolderSnapshot(await request(db.transaction('folders', 'readonly').objectStore('folders').get(snapshotKey)));
      if (snapshot) return snapshot;
      const tx = db.transaction(['results', 'folders'], 'readwrite');
      const results = tx.objectStore('results');
      const { lower, upper } = folderRecordRange(this.modelVersion, mode, folder);
      const range = IDBKeyRange.bound(lower, upper);
      // One transaction: the keys and the values of one range come in the same order.
      const [keys, values] = await Promise.all([request(results.getAllKeys(range)), request(results.getAll(range))]);
      const kept = newestPerPath(keys, values, this.modelVersion, mode);
      tx.objectStore('folders').put(kept, snapshotKey);
      // Not kept together (storage full?): the next reopen reads the range again, and scores are still kept.
      transactionDone(tx, 'keeping a folder’s scores together').catch(() => undefined);
      return kept;
    } catch (err) {
      this.turnOff(err);
      return [];
    }
  }

  /**
   * A stored result found by content, for a file whose identity was not known (copied, renamed or touched
   * since it was scored); the record is copied under its identity, so next time the file is not even read.
   */
  async byContent(file: StoredFile, contentKey: string, mode: ScoreMode): Promise<StoredScore | null> {
    if (this.off || typeof indexedDB === 'undefined') return null;
    try {
      const db = await openScoreDb();
      // Read-only first: for a new photo (the usual case) this is all, and it does not queue behind saves' locks.
      const index = db.transaction('results', 'readonly').objectStore('results').index(BY_CONTENT);
      const stored = readStoredScore(await request(index.get(resultKey(this.modelVersion, mode, contentKey))));
      const identity = identityKey(file.file);
      if (stored && identity !== null) {
        const tx = db.transaction(['results', 'identities', 'folders'], 'readwrite');
        tx.objectStore('identities').put(contentKey, identity);
        tx.objectStore('results').put(storedRecord(stored, this.modelVersion, mode, contentKey), scoreRecordKey(this.modelVersion, mode, file, contentKey));
        this.outdateFolder(tx, file, mode);
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
      const store = (await openScoreDb()).transaction('features', 'readonly').objectStore('features');
      return await Promise.all(keys.map(async (k) => readStoredFeatures(await request(store.get(resultKey(this.modelVersion, k.mode, k.contentKey))), this.dims)));
    } catch (err) {
      this.turnOff(err);
      return keys.map(() => null);
    }
  }

  /** Saves a freshly scored file with its thumbnail; resolves when written (or when the store turned off). */
  async save(file: StoredFile, contentKey: string, mode: ScoreMode, stored: StoredScore, thumb: Blob | null, features: Float32Array): Promise<void> {
    if (this.off || typeof indexedDB === 'undefined') return;
    try {
      const tx = (await openScoreDb()).transaction(SCORE_STORES, 'readwrite');
      const identity = identityKey(file.file);
      if (identity !== null) tx.objectStore('identities').put(contentKey, identity);
      tx.objectStore('results').put(storedRecord(stored, this.modelVersion, mode, contentKey), scoreRecordKey(this.modelVersion, mode, file, contentKey));
      this.outdateFolder(tx, file, mode);
      if (thumb) tx.objectStore('thumbs').put(thumb, contentKey);
      tx.objectStore('features').put(features, resultKey(this.modelVersion, mode, contentKey));
      await transactionDone(tx, 'saving a score');
    } catch (err) {
      this.turnOff(err);
    }
  }

  /** A record written under a folder: its records kept together no longer hold them all. */
  private outdateFolder(tx: IDBTransaction, file: StoredFile, mode: ScoreMode): void {
    const folder = topFolder(file.path);
    if (folder !== null) tx.objectStore('folders').delete(folderSnapshotKey(this.modelVersion, mode, folder));
  }

  /** Forgets every stored score, thumbnail and identity (all models). */
  async clear(): Promise<void> {
    const tx = (await openScoreDb()).transaction(SCORE_STORES, 'readwrite');
    for (const name of SCORE_STORES) tx.objectStore(name).clear();
    await transactionDone(tx, 'clearing stored scores');
  }
}

/**
 * Records under `keys`, by key: the keys of their whole span first (cheap), then each run of wanted keys
 * that lie side by side in one range read (a folder reopened is one run), the stragglers one by one.
 */
async function readRecords(results: IDBObjectStore, keys: readonly string[]): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  if (keys.length === 0) return out;
  // IndexedDB orders string keys by UTF-16 code units, as < does.
  const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const inSpan = (await request(results.getAllKeys(IDBKeyRange.bound(sorted[0]!, sorted[sorted.length - 1]!)))) as string[];
  const wanted = new Set(keys);
  const reads: Promise<void>[] = [];
  for (let i = 0; i < inSpan.length; ) {
    if (!wanted.has(inSpan[i]!)) {
      i++;
      continue;
    }
    let end = i;
    while (end + 1 < inSpan.length && wanted.has(inSpan[end + 1]!)) end++;
    const run = inSpan.slice(i, end + 1);
    // One transaction: the range between two keys just read holds exactly the keys between them.
    if (run.length >= MIN_RANGE_RUN) reads.push(request(results.getAll(IDBKeyRange.bound(run[0]!, run[run.length - 1]!))).then((values) => run.forEach((k, j) => out.set(k, values[j]))));
    else for (const k of run) reads.push(request(results.get(k)).then((v) => void out.set(k, v)));
    i = end + 1;
  }
  await Promise.all(reads);
  return out;
}
