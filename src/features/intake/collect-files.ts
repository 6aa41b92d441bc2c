// Turns what the user dropped or picked into files to score. Files chosen one by one are all attempted
// (so a broken or mislabelled file gets its own error badge); inside folders only image-like names are
// taken, so a folder's .txt or .DS_Store is not reported as a failure.
import { IMAGE_EXTENSIONS, isImageName } from '../../core/image/image-names.ts';
import type { IncomingFile } from '../../engine-client/scoring-service.ts';

export { isImageName };

export const ACCEPT = ['image/*', ...[...IMAGE_EXTENSIONS].map((e) => `.${e}`)].join(',');

/** XMP sidecars that sit next to the images (IMG_0001.xmp, IMG_0001.CR3.xmp): kept to merge into, never scored. */
export function isSidecarName(name: string): boolean {
  return !name.startsWith('.') && /\.xmp$/i.test(name);
}

/** Sidecars in a folder pick, with their folder-relative paths. */
export function sidecarsFromList(list: FileList | readonly File[]): IncomingFile[] {
  return Array.from(list)
    .filter((f) => isSidecarName(f.name))
    .map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/** Files from <input type="file">; with a folder picker, `webkitRelativePath` gives the path. */
export function filesFromList(list: FileList | readonly File[], fromFolder: boolean): IncomingFile[] {
  const files = Array.from(list);
  if (!fromFolder) return files.map((file) => ({ file, path: file.name }));
  return files.filter((f) => isImageName(f.name)).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const out: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(out);
        else {
          out.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

export interface Collected {
  readonly images: IncomingFile[];
  readonly sidecars: IncomingFile[];
}

async function walk(entry: FileSystemEntry, inFolder: boolean, out: Collected): Promise<void> {
  if (entry.isFile) {
    const sidecar = inFolder && isSidecarName(entry.name);
    if (inFolder && !sidecar && !isImageName(entry.name)) return;
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    (sidecar ? out.sidecars : out.images).push({ file, path: inFolder ? entry.fullPath.replace(/^\//, '') : file.name });
  } else if (entry.isDirectory) {
    const children = await readAll((entry as FileSystemDirectoryEntry).createReader());
    children.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    for (const child of children) await walk(child, true, out);
  }
}

/** Files from a drop, descending into dropped folders; sidecars inside folders are collected apart. */
export async function filesFromDrop(dt: DataTransfer): Promise<Collected> {
  const entries = Array.from(dt.items)
    .filter((i) => i.kind === 'file')
    .map((i) => i.webkitGetAsEntry?.() ?? null);
  if (entries.length === 0 || entries.some((e) => e === null)) return { images: filesFromList(dt.files, false), sidecars: [] };
  const out: Collected = { images: [], sidecars: [] };
  for (const entry of entries) await walk(entry!, false, out);
  return out;
}
