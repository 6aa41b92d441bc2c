// Sidecar file names. darktable and digiKam (by default) append .xmp to the full name (IMG_0001.CR3.xmp);
// Lightroom, Capture One and RawTherapee-style tools replace the extension (IMG_0001.xmp). The user picks.
// With 'stem', IMG_0001.CR3 and IMG_0001.JPG would share one sidecar, so such clashes are reported.

export type SidecarNaming = 'full' | 'stem';

/** Sidecar path next to an image path (folder-relative, '/'-separated). */
export function sidecarPath(imagePath: string, naming: SidecarNaming): string {
  if (naming === 'full') return `${imagePath}.xmp`;
  const slash = imagePath.lastIndexOf('/');
  const dot = imagePath.lastIndexOf('.');
  return `${dot > slash + 1 ? imagePath.slice(0, dot) : imagePath}.xmp`;
}

/** Sidecar paths for each image path, plus the images whose sidecar another image already claims. */
export function planSidecars(imagePaths: readonly string[], naming: SidecarNaming): { paths: string[]; clashes: { image: string; sidecar: string; with: string }[] } {
  const owner = new Map<string, string>();
  const clashes: { image: string; sidecar: string; with: string }[] = [];
  const paths = imagePaths.map((p) => {
    const s = sidecarPath(p, naming);
    const key = s.toLowerCase(); // case-insensitive file systems (macOS, Windows) would clash too
    const other = owner.get(key);
    if (other !== undefined && other !== p) clashes.push({ image: p, sidecar: s, with: other });
    else owner.set(key, p);
    return s;
  });
  return { paths, clashes };
}
