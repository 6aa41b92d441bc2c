// Main-thread handles the store must not hold: the folder the user opened with the File System Access API
// (where sidecars may be written next to the originals) and the existing .xmp sidecars found in a folder
// picked or dropped without that API (merged into when sidecars are downloaded as a zip).

let root: FileSystemDirectoryHandle | null = null;
/** Image paths (folder-relative, starting with the folder's name) that came from `root`. */
const underRoot = new Set<string>();
const sidecars = new Map<string, File>();

/** The folder images are being added from (its images follow with addFolderImages). */
export function setFolder(handle: FileSystemDirectoryHandle): void {
  root = handle;
  underRoot.clear();
}

export function addFolderImages(imagePaths: readonly string[]): void {
  for (const p of imagePaths) underRoot.add(p);
}

/** The writable folder an image came from, or null (then sidecars go into a zip). */
export function folderOf(imagePath: string): FileSystemDirectoryHandle | null {
  return root && underRoot.has(imagePath) ? root : null;
}

export function addSidecarFiles(files: readonly { readonly file: File; readonly path: string }[]): void {
  for (const f of files) sidecars.set(f.path.toLowerCase(), f.file);
}

/** An existing sidecar seen in a picked or dropped folder (paths compare case-insensitively). */
export function knownSidecar(path: string): File | undefined {
  return sidecars.get(path.toLowerCase());
}

export function forgetFolder(): void {
  root = null;
  underRoot.clear();
  sidecars.clear();
}
