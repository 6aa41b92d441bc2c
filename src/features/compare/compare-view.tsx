import { useCallback } from 'react';
import { Modal } from '../../shared/ui/modal.tsx';
import { useLeaf } from '../../store/store.ts';
import { ComparePane } from './compare-pane.tsx';
import { useSyncedView } from './use-zoom-pan.ts';

/** Two to four images side by side; wheel zoom, drag pan and keys act on all of them at once. */
export function CompareView() {
  const ids = useLeaf((s) => s.view.compare);
  return ids ? <CompareOpen ids={ids} /> : null;
}

function CompareOpen({ ids }: { ids: readonly string[] }) {
  const closeCompare = useLeaf((s) => s.closeCompare);
  const { view, zoom, pan, reset } = useSyncedView();
  const onKey = useCallback(
    (e: KeyboardEvent) => {
      if (e.key === '+' || e.key === '=') zoom(1.25);
      else if (e.key === '-') zoom(0.8);
      else if (e.key === '0') reset();
      else return;
      e.preventDefault();
    },
    [zoom, reset],
  );
  return (
    <Modal label={`Compare ${ids.length} images`} onClose={closeCompare} onKey={onKey}>
      <div className="compare-view" data-testid="compare-view" data-zoom={view.scale.toFixed(3)}>
        <div className="compare-bar">
          <strong>Compare</strong>
          <span className="muted">Scroll to zoom, drag to pan (all follow) · + − 0 · double-click to fit · Esc to close</span>
          <span className="spacer" />
          <span className="muted">{Math.round(view.scale * 100)}%</span>
          <button className="button small" onClick={() => zoom(0.8)} aria-label="Zoom out">
            −
          </button>
          <button className="button small" onClick={() => zoom(1.25)} aria-label="Zoom in">
            +
          </button>
          <button className="button small" onClick={reset}>
            Fit
          </button>
          <button className="button small" onClick={closeCompare} aria-label="Close">
            ×
          </button>
        </div>
        <div className="compare-panes" data-count={ids.length}>
          {ids.map((id) => (
            <ComparePane key={id} id={id} view={view} zoom={zoom} pan={pan} reset={reset} />
          ))}
        </div>
      </div>
    </Modal>
  );
}
