// Which file names count as images, for the app's folder walk and the CLI's alike: a file the app would take
// from a folder is a file `leaf score` takes from it (the decoders then say what they can and cannot read).

import { RAW_EXTENSIONS } from './raw-preview.ts';

/** Lower-case extensions without the dot; RAW files are scored by their embedded JPEG preview. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['jpg', 'jpeg', 'jpe', 'jfif', 'png', 'apng', 'webp', 'gif', 'avif', 'bmp', 'heic', 'heif', ...RAW_EXTENSIONS]);

export function isImageName(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (base.startsWith('.')) return false;
  const dot = base.lastIndexOf('.');
  return dot > 0 && IMAGE_EXTENSIONS.has(base.slice(dot + 1).toLowerCase());
}
