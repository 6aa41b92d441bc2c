// Debian packages as a data source (OpenCV's BRISQUE model, pristine photos for NIQE): downloaded with
// `apt-get download` and unpacked with `dpkg-deb -x` under .cache/debian/<package>/ (ignored by git).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where packages are kept: $LEAF_DEBIAN_DIR or <project>/.cache/debian. */
export function debianCacheDir(): string {
  return process.env.LEAF_DEBIAN_DIR || path.join(PROJECT_ROOT, '.cache', 'debian');
}

/** Root of the unpacked package (it may not exist yet). */
export function debianPackageRoot(pkg: string): string {
  return path.join(debianCacheDir(), pkg);
}

/**
 * Returns the unpacked root of `pkg`, downloading and unpacking it first when absent. Needs apt's package
 * lists (`apt-get update` once) and dpkg-deb; fails with a clear message where they are missing.
 */
export function ensureDebianPackage(pkg: string): string {
  const root = debianPackageRoot(pkg);
  if (fs.existsSync(root) && fs.readdirSync(root).length > 0) return root;
  const dir = debianCacheDir();
  fs.mkdirSync(dir, { recursive: true });
  const debOf = () => fs.readdirSync(dir).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  try {
    if (!debOf()) execFileSync('apt-get', ['download', pkg], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    const deb = debOf();
    if (!deb) throw new Error('no .deb after apt-get download');
    fs.mkdirSync(root, { recursive: true });
    execFileSync('dpkg-deb', ['-x', path.join(dir, deb), root], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    fs.rmSync(root, { recursive: true, force: true });
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`cannot get Debian package ${pkg} into ${root} (${reason}); run: apt-get update, then retry`);
  }
  return root;
}
