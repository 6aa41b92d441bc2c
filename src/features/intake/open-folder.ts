// "Open folder" through the File System Access API (Chromium): unlike the directory input, it gives a
// handle that may write, so XMP sidecars can go next to the originals. Typed locally: TypeScript's DOM
// library does not declare showDirectoryPicker or directory iteration yet.
import type { IncomingFile } from '../../engine-client/scoring-service.ts';
import { isImageName, isSidecarName, type Collected } from './collect-files.ts';

type DirectoryPicker = (options?: { mode?: 'read' | 'readwrite'; id?: string }) => Promise<FileSystemDirectoryHandle>;
type IterableDirectory = FileSystemDirectoryHandle & { values(): AsyncIterable<FileSystemDirectoryHandle | FileSystemFileHandle> };

export function directoryPicker(): DirectoryPicker | null {
  const picker = (window as Window & { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  return typeof picker === 'function' ? picker.bind(window) : null;
}

const collator = new Intl.Collator(undefined, { numeric: true });

/** Images and sidecars under a folder handle; paths start with the folder's name, as the directory input's do. */
export async function collectFromHandle(dir: FileSystemDirectoryHandle, prefix = dir.name): Promise<Collected> {
  const out: Collected = { images: [], sidecars: [] };
  const entries: (FileSystemDirectoryHandle | FileSystemFileHandle)[] = [];
  for await (const entry of (dir as IterableDirectory).values()) entries.push(entry);
  entries.sort((a, b) => collator.compare(a.name, b.name));
  for (const entry of entries) {
    const path = `${prefix}/${entry.name}`;
    if (entry.kind === 'directory') {
      if (entry.name.startsWith('.')) continue;
      const sub = await collectFromHandle(entry as FileSystemDirectoryHandle, path);
      out.images.push(...sub.images);
      out.sidecars.push(...sub.sidecars);
    } else if (isImageName(entry.name) || isSidecarName(entry.name)) {
      const file: IncomingFile = { file: await (entry as FileSystemFileHandle).getFile(), path };
      (isSidecarName(entry.name) ? out.sidecars : out.images).push(file);
    }
  }
  return out;
}
