// The folder last opened with "Open folder…" (File System Access), kept in IndexedDB as its handle, so after
// a reload the drop zone offers it back in one click: no picker, no listing by the browser's dialog, and
// sidecars can still be written next to the originals. A handle is only a reference: reading it again
// needs the user's permission, asked on that click.
import { databaseOpener, request, transactionDone } from '../../shared/indexed-db.ts';

export interface RecentFolder {
  readonly handle: FileSystemDirectoryHandle;
  /** Images found when it was opened. */
  readonly images: number;
  readonly openedAt: number;
}

const open = databaseOpener('leaf-folders', 1, (db) => db.createObjectStore('recent'));
const KEY = 'last';

export async function saveRecentFolder(folder: RecentFolder): Promise<void> {
  const tx = (await open()).transaction('recent', 'readwrite');
  tx.objectStore('recent').put(folder, KEY);
  await transactionDone(tx, 'remembering the folder');
}

/** The remembered folder, or null (none, or a record this code cannot use). */
export async function loadRecentFolder(): Promise<RecentFolder | null> {
  const value = (await request((await open()).transaction('recent', 'readonly').objectStore('recent').get(KEY))) as Partial<RecentFolder> | undefined;
  const ok = value && typeof FileSystemDirectoryHandle !== 'undefined' && value.handle instanceof FileSystemDirectoryHandle && Number.isFinite(value.images) && Number.isFinite(value.openedAt);
  return ok ? (value as RecentFolder) : null;
}

export async function forgetRecentFolder(): Promise<void> {
  const tx = (await open()).transaction('recent', 'readwrite');
  tx.objectStore('recent').delete(KEY);
  await transactionDone(tx, 'forgetting the folder');
}

type PermissionHandle = FileSystemDirectoryHandle & {
  queryPermission?(d: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
  requestPermission?(d: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
};

/**
 * Read-write access to a remembered folder, asking the user if needed (call it from a click): 'readwrite'
 * (sidecars may be written), 'read' (only reading was allowed) or null (refused).
 */
export async function folderAccess(handle: FileSystemDirectoryHandle): Promise<'readwrite' | 'read' | null> {
  const h = handle as PermissionHandle;
  if (!h.queryPermission || !h.requestPermission) return 'readwrite'; // no permission model: as picked
  if ((await h.queryPermission({ mode: 'readwrite' })) === 'granted') return 'readwrite';
  if ((await h.requestPermission({ mode: 'readwrite' })) === 'granted') return 'readwrite';
  return (await h.queryPermission({ mode: 'read' })) === 'granted' ? 'read' : null;
}
