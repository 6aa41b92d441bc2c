// Culling's derived views: which images can be culled (scored, so their content key is known) in the
// grid's order (a closed burst stack by its one frame), and each image's decision.
import { NO_DECISION, type Decision } from '../core/culling/decisions.ts';
import { selectShownIds } from './selectors.ts';
import type { LeafState } from './store.ts';

let lastVisible: readonly string[] | null = null;
let lastById: LeafState['images']['byId'] | null = null;
let lastIds: string[] = [];

/** Visible images that have a content key, in grid order (memoised: zustand needs stable snapshots). */
export function selectCullIds(s: LeafState): readonly string[] {
  const visible = selectShownIds(s);
  if (visible !== lastVisible || s.images.byId !== lastById) {
    const next = visible.filter((id) => s.images.byId[id]?.contentKey);
    // Keep the old array when the list did not change, so the filmstrip does not re-render per batch.
    lastIds = next.length === lastIds.length && next.every((id, i) => id === lastIds[i]) ? lastIds : next;
    lastVisible = visible;
    lastById = s.images.byId;
  }
  return lastIds;
}

export function decisionOf(s: Pick<LeafState, 'images' | 'culling'>, id: string): Decision {
  const key = s.images.byId[id]?.contentKey;
  return (key && s.culling.decisions[key]) || NO_DECISION;
}
