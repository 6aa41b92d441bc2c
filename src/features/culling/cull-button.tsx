import { useEffect } from 'react';
import { selectCullIds } from '../../store/culling-selectors.ts';
import { useLeaf } from '../../store/store.ts';
import { startDecisionSync } from './decision-sync.ts';

/** Opens the culling view at the first scored image in the grid's order (C is its shortcut from the grid). */
export function CullButton() {
  const first = useLeaf((s) => selectCullIds(s)[0] ?? null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== 'c' || e.ctrlKey || e.metaKey || e.altKey || !first) return;
      if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))) return;
      const s = useLeaf.getState();
      if (s.culling.currentId || s.view.largeId || s.view.compare || s.calibration.rating.open) return;
      s.openCulling(first);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [first]);
  return (
    <button className="button small" disabled={!first} onClick={() => first && useLeaf.getState().openCulling(first)} title="Cull with the keyboard (C)" data-testid="cull">
      Cull <kbd>C</kbd>
    </button>
  );
}

/** Restores saved decisions at start and saves every change (mounted once by the app). */
export function CullingBoot() {
  useEffect(() => startDecisionSync(), []);
  return null;
}
