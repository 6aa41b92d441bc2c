import { useEffect, useRef } from 'react';
import { addFiles } from '../../engine-client/scoring-service.ts';
import { ACCEPT, filesFromList } from './collect-files.ts';

/** "Add images" (multi-file picker) and "Add folder" (directory picker). */
export function FileButtons({ primary = false }: { primary?: boolean }) {
  const folderInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Not in React's typings; the attribute makes the picker choose a directory.
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  const onPick = (e: React.ChangeEvent<HTMLInputElement>, fromFolder: boolean) => {
    if (e.target.files) addFiles(filesFromList(e.target.files, fromFolder));
    e.target.value = '';
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
    </div>
  );
}
