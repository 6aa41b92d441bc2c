import { useEffect, useState } from 'react';
import { addFolderFromHandle, directoryPicker } from './open-folder.ts';
import { folderAccess, forgetRecentFolder, loadRecentFolder, type RecentFolder } from './recent-folder.ts';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "Reopen <folder>": the folder last opened with "Open folder…", back in one click after a reload. */
export function ReopenFolder() {
  const [recent, setRecent] = useState<RecentFolder | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!directoryPicker()) return;
    let live = true;
    // Storage refused or nothing remembered: no offer, nothing to say.
    loadRecentFolder()
      .then((r) => live && setRecent(r))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  const alert = error && (
    <span className="bad" role="alert" data-testid="reopen-error">
      {error}
    </span>
  );
  if (!recent) return alert ? <div className="reopen-folder">{alert}</div> : null;
  const name = recent.handle.name;

  const reopen = async () => {
    setBusy(true);
    setError(null);
    try {
      const access = await folderAccess(recent.handle);
      if (!access) return setError(`LEAF was not allowed to read “${name}”. Reopen it to try again, or use Open folder….`);
      await addFolderFromHandle(recent.handle, access === 'readwrite');
    } catch (err) {
      if (err instanceof DOMException && err.name === 'NotFoundError') {
        setError(`The folder “${name}” is no longer where it was (moved or deleted); use Open folder… to choose it again.`);
        setRecent(null);
        void forgetRecentFolder().catch(() => undefined);
      } else setError(`Could not reopen “${name}”: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="reopen-folder">
      <button className="button" onClick={() => void reopen()} disabled={busy} data-testid="reopen-folder">
        Reopen “{name}”
      </button>
      <span className="muted">
        {recent.images.toLocaleString()} image{recent.images === 1 ? '' : 's'} · opened {when.format(recent.openedAt)}
      </span>
      {alert}
    </div>
  );
}
