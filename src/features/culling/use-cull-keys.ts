// The culling view's keyboard: 0-5 stars, P pick, X reject, U unflag, ← → (and ↑ ↓) to move, Z for 100%
// zoom, S to open or close the burst stack, Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) to undo / redo. Keys typed into
// a form field are left alone.
import { useCallback } from 'react';
import type { Edit } from '../../core/culling/decisions.ts';
import { selectCullIds } from '../../store/culling-selectors.ts';
import { burstOf } from '../../store/selectors.ts';
import { useLeaf } from '../../store/store.ts';
import { userIsNavigating } from '../../engine-client/scoring-service.ts';

export const SHORTCUTS: readonly (readonly [string, string])[] = [
  ['0–5', 'stars'],
  ['P', 'pick'],
  ['X', 'reject'],
  ['U', 'unflag'],
  ['← →', 'previous / next'],
  ['Z', '100% zoom on the sharpest region'],
  ['S', 'open / close the burst stack (with Stack bursts on)'],
  ['Ctrl+Z', 'undo'],
  ['Ctrl+Shift+Z', 'redo'],
  ['Esc', 'close'],
];

function inField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}

export function editForKey(key: string): Edit | null {
  if (/^[0-5]$/.test(key)) return { stars: Number(key) };
  switch (key.toLowerCase()) {
    case 'p':
      return { flag: 'pick' };
    case 'x':
      return { flag: 'reject' };
    case 'u':
      return { flag: null };
    default:
      return null;
  }
}

export function useCullKeys(ids: readonly string[], id: string): (e: KeyboardEvent) => void {
  return useCallback(
    (e: KeyboardEvent) => {
      if (inField(e.target) || e.altKey) return;
      // The user is culling: for a moment scoring keeps out of the page's way (see userIsNavigating).
      userIsNavigating();
      const s = useLeaf.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && (key === 'z' || key === 'y')) {
        const redo = key === 'y' || e.shiftKey;
        const step = (redo ? s.culling.history.future : s.culling.history.past).at(-1);
        if (redo) s.redoDecision();
        else s.undoDecision();
        // Show what was undone: a single-image step on another image brings that image up.
        const other = step?.length === 1 ? ids.find((x) => x !== id && s.images.byId[x]?.contentKey === step[0]!.key) : undefined;
        if (other) s.openCulling(other);
      } else if (mod) return;
      else if (e.key === 'ArrowRight' || e.key === 'ArrowDown' || e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
        const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : -1;
        const next = ids[ids.indexOf(id) + step];
        if (next) s.openCulling(next);
      } else if (key === 'z') s.toggleZoom();
      else if (key === 's') {
        const burst = burstOf(s, id);
        if (!burst || !s.culling.settings.stackBursts) return;
        s.toggleStack(burst.stack);
        // Closing the stack on a frame it now hides: the frame that stands for the stack comes up.
        const after = useLeaf.getState();
        const shown = selectCullIds(after);
        if (!shown.includes(id)) {
          const standIn = shown.find((x) => burstOf(after, x)?.stack === burst.stack);
          if (standIn) after.openCulling(standIn);
        }
      } else {
        const edit = editForKey(e.key);
        const contentKey = s.images.byId[id]?.contentKey;
        if (!edit || !contentKey) return;
        s.decide([{ keys: [contentKey], edit }], 'hand');
      }
      e.preventDefault();
    },
    [ids, id],
  );
}
