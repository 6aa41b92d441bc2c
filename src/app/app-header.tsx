import { EngineStatus } from '../features/engine/engine-status.tsx';
import { FileButtons } from '../features/intake/file-buttons.tsx';
import { ModeSwitch } from '../features/scoring/mode-switch.tsx';
import { useLeaf } from '../store/store.ts';

export function AppHeader() {
  const hasImages = useLeaf((s) => s.images.order.length > 0);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="logo" aria-hidden>
          ❦
        </span>
        <div>
          <h1>LEAF</h1>
          <p>Image quality, scored on your device</p>
        </div>
      </div>
      <div className="header-controls">
        {hasImages && <FileButtons />}
        <ModeSwitch />
      </div>
      <EngineStatus />
    </header>
  );
}
