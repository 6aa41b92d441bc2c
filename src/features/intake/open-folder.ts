// "Open folder" through the File System Access API (Chromium): unlike the directory input, it gives a
// handle that may write, so XMP sidecars can go next to the originals. Typed locally: TypeScript's DOM
// library does not declare showDirectoryPicker or directory iteration yet.
import { addFolderImages, addSidecarFiles, setFolder } from '../../engine-client/folder-access.ts';
import { addListedImages, filesRead, showKeptScores } from '../../engine-client/scoring-service.ts';
import { isImageName, isSidecarName } from './collect-files.ts';

type DirectoryPicker = (options?: { mode?: 'read' | 'readwrite'; id?: string }) => Promise<FileSystemDirectoryHandle>;
type IterableDirectory = FileSystemDirectoryHandle & { values(): AsyncIterable<FileSystemDirectoryHandle | FileSystemFileHandle> };

export function directoryPicker(): DirectoryPicker | null {
  const picker = (window as Window & { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  return typeof picker === 'function' ? picker.bind(window) : null;
}

const collator = new Intl.Collator(undefined, { numeric: true });

/** A file under a folder handle, not read yet, with its path from the folder's name (as the directory input gives it). */
interface Listed {
  readonly handle: FileSystemFileHandle;
  readonly path: string;
}

interface Listing {
  readonly images: Listed[];
  readonly sidecars: Listed[];
}

/**
 * A folder's images and sidecars by name only (no file is read: reading one, for its size and date, costs
 * the browser more than listing it), in name order with each subfolder's files where the subfolder sorts;
 * folders starting with "." are skipped.
 */
async function listFolder(dir: FileSystemDirectoryHandle, prefix = dir.name, out: Listing = { images: [], sidecars: [] }): Promise<Listing> {
  const entries: (FileSystemDirectoryHandle | FileSystemFileHandle)[] = [];
  for await (const entry of (dir as IterableDirectory).values()) entries.push(entry);
  entries.sort((a, b) => collator.compare(a.name, b.name));
  for (const entry of entries) {
    const path = `${prefix}/${entry.name}`;
    if (entry.kind === 'directory') {
      if (!entry.name.startsWith('.')) await listFolder(entry as FileSystemDirectoryHandle, path, out);
    } else if (isImageName(entry.name)) out.images.push({ handle: entry as FileSystemFileHandle, path });
    else if (isSidecarName(entry.name)) out.sidecars.push({ handle: entry as FileSystemFileHandle, path });
  }
  return out;
}

/**
 * getFile() requests kept in flight: the browser answers each asynchronously, so they overlap (for 5,000
 * files, 1,000 at once took 0.8-1.1 s where 64 at a time took 1.3 s). Files go on in batches as they
 * arrive, in order: a small first batch (work starts at once), then larger ones.
 */
const GET_FILE_IN_FLIGHT = 2048;
const FIRST_BATCH = 256;
const BATCH = 1024;

/** Why a listed file could not be read, in words a person can act on. */
function readError(err: unknown): string {
  if (err instanceof DOMException && err.name === 'NotFoundError') return 'The file is no longer in its folder (moved or deleted since the folder was listed)';
  return `The browser could not read the file: ${err instanceof Error ? err.message : String(err)}`;
}

type Read = { readonly file: File } | { readonly error: string };

/** Reads listed files, many at once, handing each batch on in order with its first index (a file that cannot be read, with why). */
async function readInBatches(listed: readonly Listed[], onBatch: (batch: readonly Read[], at: number) => void | Promise<void>): Promise<void> {
  const files: Promise<Read>[] = [];
  const ask = (upTo: number) => {
    while (files.length < Math.min(upTo, listed.length))
      files.push(
        listed[files.length]!.handle.getFile().then(
          (file) => ({ file }),
          (err: unknown) => ({ error: readError(err) }),
        ),
      );
  };
  for (let at = 0, size = FIRST_BATCH; at < listed.length; at += size, size = BATCH) {
    ask(at + GET_FILE_IN_FLIGHT);
    await onBatch(await Promise.all(files.slice(at, at + size)), at);
  }
}

/**
 * Adds a folder's images from its handle, with its sidecars to merge into; when `writable`, sidecars are
 * later written next to the originals. The images are listed by name and shown at once, with the scores
 * and decisions kept for their paths; their files are then read and checked against what was kept (a
 * changed or new file is scored). Returns how many images it found.
 */
export async function addFolderFromHandle(handle: FileSystemDirectoryHandle, writable: boolean): Promise<number> {
  if (writable) setFolder(handle);
  const { images, sidecars } = await listFolder(handle);
  if (writable) addFolderImages(images.map((f) => f.path));
  const ids = addListedImages(images.map((f) => ({ name: f.handle.name, path: f.path })));
  const kept = showKeptScores(handle.name, ids);
  // While the store answers: sidecars are few, and are there to merge into before any is written.
  await readInBatches(sidecars, (batch, at) => addSidecarFiles(batch.flatMap((r, i) => ('file' in r ? [{ file: r.file, path: sidecars[at + i]!.path }] : []))));
  // The images' files only now: asked while the store answered, they slowed its answer (the browser serves
  // both) and the kept scores showed later.
  await kept;
  await readInBatches(images, (batch, at) => filesRead(batch.map((r, i) => ({ id: ids[at + i]!, ...r }))));
  return images.length;
}
