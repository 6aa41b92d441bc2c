// The offer to switch to a new deploy: a reload only when the user asks (Tab reaches it first; Enter
// reloads). Profiles and ratings live in IndexedDB and survive it; the scored images of this tab do not.
import { useState, useSyncExternalStore } from 'react';
import { appUpdate, applyUpdate } from './register-sw.ts';

export function UpdatePrompt() {
  const ready = useSyncExternalStore(appUpdate.subscribe, appUpdate.ready);
  const [later, setLater] = useState(false);
  if (!ready || later) return null;
  return (
    <div className="update-prompt" role="status" data-testid="update-prompt">
      <span>A new version of LEAF is ready. Reloading keeps your profiles and ratings; add your images again afterwards.</span>
      <button className="button primary small" onClick={applyUpdate} data-testid="update-reload">
        Reload to update
      </button>
      <button className="button ghost small" onClick={() => setLater(true)} data-testid="update-later">
        Later
      </button>
    </div>
  );
}
