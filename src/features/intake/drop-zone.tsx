import { FileButtons } from './file-buttons.tsx';
import { ReopenFolder } from './reopen-folder.tsx';

/** The empty-state invitation. Drops are caught anywhere on the page (page-drop-target.tsx). */
export function DropZone() {
  return (
    <section className="drop-zone" aria-label="Add images">
      <div className="drop-zone-icon" aria-hidden>
        ⬇
      </div>
      <h2>Drop images or a folder anywhere</h2>
      <p>JPEG, PNG, WebP, GIF, AVIF. Everything is scored on this device; no image leaves your browser.</p>
      <FileButtons primary />
      <ReopenFolder />
    </section>
  );
}
