import { useEffect, useRef, useState } from 'react';
import { addFiles } from '../../engine-client/scoring-service.ts';
import { ACCEPT, filesFromList } from './collect-files.ts';
import { addFolderFromInput } from './folder-input.ts';
import { addFolderFromHandle, directoryPicker } from './open-folder.ts';
import { saveRecentFolder } from './recent-folder.ts';

/**
 * "Add images" (multi-file picker) and "Add folder" (directory input). Where the browser has the File
 * System Access API, "Open folder" also appears: the folder it opens can receive XMP sidecars.
 */
export function FileButtons({ primary = false }: { primary?: boolean }) {
  const folderInput = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const picker = directoryPicker();
  useEffect(() => {
    // Not in React's typings; the attribute makes the picker choose a directory.
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  const onPick = (e: React.ChangeEvent<HTMLInputElement>, fromFolder: boolean) => {
    // A copy: clearing the input below (so the same pick fires again) gives it a new, empty list.
    const files = Array.from(e.target.files ?? []);
    if (fromFolder) void addFolderFromInput(files);
    else {
      // In a task of its own: the change event's task already holds the browser's own listing of the files,
      // and with the grid's first render in it, picking 200 photos was one task over 100 ms (bench:speed).
      const picked = filesFromList(files, false);
      setTimeout(() => addFiles(picked), 0);
    }
    e.target.value = '';
  };

  const openFolder = async () => {
    if (!picker) return;
    setError(null);
    try {
      const handle = await picker({ mode: 'readwrite', id: 'leaf-photos' });
      const images = await addFolderFromHandle(handle, true);
      // Offered back after a reload; a browser that refuses storage only loses that offer.
      await saveRecentFolder({ handle, images, openedAt: Date.now() }).catch(() => undefined);
    } catch (err) {
      // Closing the picker is not an error.
      if (err instanceof DOMException && err.name === 'AbortError') return;
      setError(`Could not open the folder: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return (
    <div className="file-buttons">
      <label className={primary ? 'button primary' : 'button'}>
        Add images
        <input type="file" multiple accept={ACCEPT} data-testid="file-input" onChange={(e) => onPick(e, false)} hidden />
      </label>
      <label className="button">
        Add folder
        <input type="file" multiple ref={folderInput} data-testid="folder-input" onChange={(e) => onPick(e, true)} hidden />
      </label>
      {picker && (
        <button className="button" onClick={() => void openFolder()} title="Open a folder that LEAF may write XMP sidecars into" data-testid="open-folder">
          Open folder…
        </button>
      )}
      {error && (
        <span className="bad" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
