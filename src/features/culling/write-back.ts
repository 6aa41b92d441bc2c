// Writes XMP sidecars: next to the originals when the folder was opened with write access (File System
// Access API), else into a zip to download. An existing sidecar is merged, never replaced; one that is
// not valid XMP is left alone and named in the report. Originals are never opened for writing.
import { strToU8, zipSync } from 'fflate';
import { protectEditorRating } from '../../core/xmp/leaf-sidecar.ts';
import { mergeSidecar, XmpError } from '../../core/xmp/xmp-merge.ts';
import { folderOf, knownSidecar } from '../../engine-client/folder-access.ts';
import { downloadBlob, stamp } from '../../shared/ui/download.ts';
import { useLeaf } from '../../store/store.ts';
import { type SidecarJob, sidecarJobs } from './sidecar-jobs.ts';

export interface WriteReport {
  readonly written: number;
  readonly merged: number;
  readonly zipped: number;
  readonly zipName: string | null;
  /** Sidecars whose rating (set in another editor) a rule's stars did not replace. */
  readonly keptRatings: number;
  readonly problems: readonly string[];
}

/** The merged text, keeping a rating set in another editor when LEAF's rating came from a rule. */
function mergeFor(existing: string | null, job: SidecarJob): { text: string; kept: boolean } {
  const { props, kept } = protectEditorRating(existing, job.props);
  return { text: mergeSidecar(existing, props), kept };
}

/** The directory handle and file name for a folder-relative path whose first segment is the folder itself. */
async function locate(root: FileSystemDirectoryHandle, path: string): Promise<{ dir: FileSystemDirectoryHandle; name: string }> {
  const parts = path.split('/').slice(1);
  const name = parts.pop()!;
  let dir = root;
  for (const p of parts) dir = await dir.getDirectoryHandle(p);
  return { dir, name };
}

async function readExisting(dir: FileSystemDirectoryHandle, name: string): Promise<string | null> {
  try {
    return await (await (await dir.getFileHandle(name)).getFile()).text();
  } catch (err) {
    if (err instanceof DOMException && err.name === 'NotFoundError') return null;
    throw err;
  }
}

function describe(err: unknown): string {
  if (err instanceof DOMException && (err.name === 'NotAllowedError' || err.name === 'NoModificationAllowedError')) return 'the folder is read-only or permission was refused';
  if (err instanceof DOMException && err.name === 'NotFoundError') return 'its folder is gone (moved or deleted since it was opened)';
  return err instanceof Error ? err.message : String(err);
}

/** Writes one sidecar into the opened folder. */
async function writeInFolder(root: FileSystemDirectoryHandle, job: SidecarJob): Promise<{ merged: boolean; kept: boolean }> {
  const { dir, name } = await locate(root, job.sidecarPath);
  const existing = await readExisting(dir, name);
  const { text, kept } = mergeFor(existing, job);
  const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
  await writable.write(text);
  await writable.close();
  return { merged: existing !== null, kept };
}

export async function writeSidecars(now = new Date()): Promise<WriteReport> {
  const { jobs, clashes } = sidecarJobs(useLeaf.getState());
  const problems = clashes.map((c) => `Skipped ${c}: choose "IMG_0001.CR3.xmp" naming to keep both.`);
  const zip: Record<string, Uint8Array> = {};
  let written = 0;
  let merged = 0;
  let zipped = 0;
  let keptRatings = 0;
  for (const job of jobs) {
    const root = folderOf(job.imagePath);
    try {
      if (root) {
        try {
          const r = await writeInFolder(root, job);
          merged += r.merged ? 1 : 0;
          keptRatings += r.kept ? 1 : 0;
          written++;
          continue;
        } catch (err) {
          if (err instanceof XmpError) throw err;
          problems.push(`${job.sidecarPath}: not written next to the photo (${describe(err)}); it is in the zip instead.`);
        }
      }
      const existing = (await knownSidecar(job.sidecarPath)?.text()) ?? null;
      const r = mergeFor(existing, job);
      zip[job.sidecarPath] = strToU8(r.text);
      keptRatings += r.kept ? 1 : 0;
      if (existing !== null) merged++;
      zipped++;
    } catch (err) {
      if (!(err instanceof XmpError)) throw err;
      problems.push(`${job.sidecarPath} is not valid XMP (${err.message}): left unchanged, nothing written for ${job.imagePath}.`);
    }
  }
  let zipName: string | null = null;
  if (zipped > 0) {
    zipName = `leaf-sidecars-${stamp(now)}.zip`;
    downloadBlob(zipName, new Blob([zipSync(zip, { level: 6 }) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
  }
  return { written, merged, zipped, zipName, keptRatings, problems };
}

export function reportText(r: WriteReport): string {
  const parts: string[] = [];
  if (r.written > 0) parts.push(`Wrote ${r.written} sidecar${r.written === 1 ? '' : 's'} next to the originals`);
  if (r.zipName) parts.push(`Downloaded ${r.zipName} with ${r.zipped} sidecar${r.zipped === 1 ? '' : 's'}`);
  if (parts.length === 0) parts.push('No sidecars written: nothing is scored yet');
  if (r.merged > 0) parts.push(`${r.merged} merged into existing sidecars`);
  if (r.keptRatings > 0) parts.push(`${r.keptRatings} kept the rating set in another editor (LEAF's came from a rule)`);
  return `${parts.join('; ')}.${r.problems.length ? ` ${r.problems.join(' ')}` : ''}`;
}
