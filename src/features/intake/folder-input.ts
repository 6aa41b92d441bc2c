// A folder chosen with the directory input (any browser). Its files arrive together, but reading each one's
// size and date is a synchronous call to the browser, so, as with a folder handle, the images show first
// with the scores kept for their paths, and the files are checked against them a batch per task.
import { addSidecarFiles } from '../../engine-client/folder-access.ts';
import { addListedImages, filesRead, showKeptScores } from '../../engine-client/scoring-service.ts';
import { filesFromList, sidecarsFromList } from './collect-files.ts';

/**
 * Files checked per task: the browser's first answer for a file's size took 0.18-0.30 ms a file here
 * (bench:culling's "first size" row), so a batch holds the page for ~23-38 ms, short of a long task.
 */
const CHECK_BATCH = 128;

/** Adds a picked folder's images and sidecars; resolves once every file has been checked or queued. */
export async function addFolderFromInput(list: FileList | readonly File[]): Promise<void> {
  addSidecarFiles(sidecarsFromList(list));
  const images = filesFromList(list, true);
  const ids = addListedImages(images.map(({ file, path }) => ({ name: file.name, path })));
  // The picked folder's name starts every path.
  const slash = images[0]?.path.indexOf('/') ?? -1;
  if (slash > 0) await showKeptScores(images[0]!.path.slice(0, slash), ids);
  for (let at = 0; at < images.length; at += CHECK_BATCH) {
    if (at > 0) await new Promise((resolve) => setTimeout(resolve, 0));
    filesRead(images.slice(at, at + CHECK_BATCH).map(({ file }, i) => ({ id: ids[at + i]!, file })));
  }
}
