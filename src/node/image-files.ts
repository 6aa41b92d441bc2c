// Which files are images, and the image files of a folder or of paths a user typed: one list of
// extensions and one order (natural: "img2" before "img10") for the CLI, the classical teachers and benches.
import fs from 'node:fs';
import path from 'node:path';

export const IMAGE_MIME: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
};

export const IMAGE_EXTENSIONS: readonly string[] = Object.keys(IMAGE_MIME);
export const JPEG_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg'];

export function mimeForPath(file: string): string | undefined {
  return IMAGE_MIME[path.extname(file).toLowerCase()];
}

const natural = new Intl.Collator('en', { numeric: true });
export const byNaturalName = (a: string, b: string): number => natural.compare(a, b);

export interface ListOptions {
  /** Walk sub-folders too (each folder's files in natural order, then its sub-folders' in place). */
  readonly recursive?: boolean;
  /** Lower-case extensions with the dot; default: every image type the CLI decodes. */
  readonly extensions?: readonly string[];
  /** Decides by file name instead of `extensions` (e.g. `leaf score` takes every name the app takes). */
  readonly accepts?: (name: string) => boolean;
}

/** Image files in `dir` (paths joined onto `dir`), in natural name order. */
export function listImageFiles(dir: string, options: ListOptions = {}): string[] {
  const extensions = new Set(options.extensions ?? IMAGE_EXTENSIONS);
  const accepts = options.accepts ?? ((name: string) => extensions.has(path.extname(name).toLowerCase()));
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => byNaturalName(a.name, b.name))) {
      const full = path.join(d, e.name);
      if (e.isDirectory() && options.recursive) walk(full);
      else if (e.isFile() && accepts(e.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** A path a user gave that is neither a folder nor a supported image. */
export class ImagePathError extends Error {}

/**
 * Files as given, folders walked recursively for image files; deduplicated by absolute path. `accepts` and
 * `describe` widen or narrow what counts as an image (default: the types the CLI's teachers can send).
 */
export function collectImageFiles(
  paths: readonly string[],
  accepts: (name: string) => boolean = (name) => mimeForPath(name) !== undefined,
  describe = IMAGE_EXTENSIONS.join(' '),
): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const abs = path.resolve(file);
    if (!seen.has(abs)) {
      seen.add(abs);
      out.push(file);
    }
  };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new ImagePathError(`no such file or folder: ${p}`);
    }
    if (stat.isDirectory()) listImageFiles(p, { recursive: true, accepts }).forEach(add);
    else if (accepts(path.basename(p))) add(p);
    else throw new ImagePathError(`${p} is not a supported image (${describe})`);
  }
  return out;
}
