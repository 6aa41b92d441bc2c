// "Open folder" through the File System Access API (Chromium): unlike the directory input, it gives a
// handle that may write, so XMP sidecars can go next to the originals. Typed locally: TypeScript's DOM
// library does not declare showDirectoryPicker or directory iteration yet.
import { addSidecarFiles, setFolder } from '../../engine-client/folder-access.ts';
import { addFiles } from '../../engine-client/scoring-service.ts';
import { isImageName, isSidecarName, type Collected } from './collect-files.ts';

type DirectoryPicker = (options?: { mode?: 'read' | 'readwrite'; id?: string }) => Promise<FileSystemDirectoryHandle>;
type IterableDirectory = FileSystemDirectoryHandle & { values(): AsyncIterable<FileSystemDirectoryHandle | FileSystemFileHandle> };

export function directoryPicker(): DirectoryPicker | null {
  const picker = (window as Window & { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  return typeof picker === 'function' ? picker.bind(window) : null;
}

const collator = new Intl.Collator(undefined, { numeric: true });

/** Files read from handles at once: the browser answers each getFile() asynchronously, so they overlap. */
const GET_FILE_BATCH = 64;

/** Images and sidecars under a folder handle; paths start with the folder's name, as the directory input's do. */
export async function collectFromHandle(dir: FileSystemDirectoryHandle, prefix = dir.name): Promise<Collected> {
  const out: Collected = { images: [], sidecars: [] };
  const entries: (FileSystemDirectoryHandle | FileSystemFileHandle)[] = [];
  for await (const entry of (dir as IterableDirectory).values()) entries.push(entry);
  entries.sort((a, b) => collator.compare(a.name, b.name));
  // Files in runs between subfolders, so the order stays the sorted one.
  let run: FileSystemFileHandle[] = [];
  const readRun = async () => {
    for (let at = 0; at < run.length; at += GET_FILE_BATCH) {
      const batch = run.slice(at, at + GET_FILE_BATCH);
      const files = await Promise.all(batch.map((entry) => entry.getFile()));
      batch.forEach((entry, i) => (isSidecarName(entry.name) ? out.sidecars : out.images).push({ file: files[i]!, path: `${prefix}/${entry.name}` }));
    }
    run = [];
  };
  for (const entry of entries) {
    if (entry.kind === 'file') {
      if (isImageName(entry.name) || isSidecarName(entry.name)) run.push(entry as FileSystemFileHandle);
      continue;
    }
    if (entry.name.startsWith('.')) continue;
    await readRun();
    const sub = await collectFromHandle(entry as FileSystemDirectoryHandle, `${prefix}/${entry.name}`);
    out.images.push(...sub.images);
    out.sidecars.push(...sub.sidecars);
  }
  await readRun();
  return out;
}

/**
 * Adds a folder's images from its handle, with its sidecars to merge into; when `writable`, sidecars are
 * later written next to the originals. Returns how many images it found.
 */
export async function addFolderFromHandle(handle: FileSystemDirectoryHandle, writable: boolean): Promise<number> {
  const { images, sidecars } = await collectFromHandle(handle);
  if (writable) setFolder(handle, images.map((f) => f.path));
  addSidecarFiles(sidecars);
  addFiles(images);
  return images.length;
}
