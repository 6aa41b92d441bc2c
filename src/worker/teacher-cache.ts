// The teacher's judgments kept in IndexedDB, keyed by teacher id and image content key, so a reload (or a
// second run over the same photos) asks the model nothing twice: picking the same folder again restores
// every judgment at once. Storage is a convenience: when it fails, judging goes on uncached.
import { databaseOpener, request, transactionDone } from '../shared/indexed-db.ts';
import type { TeacherJudgment } from './teacher-protocol.ts';

const STORE = 'judgments';
const open = databaseOpener('leaf-teacher', 1, (db) => {
  if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE);
});
const keyOf = (teacherId: string, imageKey: string) => `${teacherId}\n${imageKey}`;

export async function cachedJudgments(teacherId: string, imageKeys: readonly string[]): Promise<Map<string, TeacherJudgment>> {
  const out = new Map<string, TeacherJudgment>();
  try {
    const tx = (await open()).transaction(STORE, 'readonly');
    const store = tx.objectStore(STORE);
    await Promise.all(
      imageKeys.map(async (k) => {
        // A record that cannot be read is simply judged again.
        const j = (await request(store.get(keyOf(teacherId, k))).catch(() => undefined)) as TeacherJudgment | undefined;
        if (j) out.set(k, j);
      }),
    );
  } catch {
    // No cache: every image is judged.
  }
  return out;
}

export async function saveJudgment(teacherId: string, j: TeacherJudgment): Promise<void> {
  try {
    const tx = (await open()).transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(j, keyOf(teacherId, j.key));
    await transactionDone(tx, 'saving a teacher judgment');
  } catch {
    // Not kept: the next run asks the model again.
  }
}
