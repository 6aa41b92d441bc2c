import { selectBursts } from '../../store/selectors.ts';
import { decisionOf } from '../../store/culling-selectors.ts';
import { useLeaf } from '../../store/store.ts';
import type { LeafState } from '../../store/store.ts';

/**
 * Per burst, the frames to keep (those picked by hand, else the best by score) and the content keys of
 * the others that a rule may reject (never one flagged by hand).
 */
function burstPlan(s: LeafState): { bursts: number; reject: string[] } {
  const { bursts } = selectBursts(s);
  const reject = new Set<string>();
  for (const b of bursts) {
    const handPicked = b.ids.filter((id) => decisionOf(s, id).flag === 'pick' && decisionOf(s, id).flagBy === 'hand');
    const keep = new Set(handPicked.length > 0 ? handPicked : [b.best]);
    for (const id of b.ids) {
      const d = decisionOf(s, id);
      const key = s.images.byId[id]?.contentKey;
      if (key && !keep.has(id) && d.flagBy !== 'hand' && d.flag !== 'reject') reject.add(key);
    }
  }
  return { bursts: bursts.length, reject: [...reject] };
}

/** "Keep the best of each burst": rejects the other frames of every burst (a frame you picked by hand wins). */
export function BurstRulePanel() {
  const bursts = useLeaf((s) => selectBursts(s).bursts.length);
  const toReject = useLeaf((s) => burstPlan(s).reject.length);
  if (bursts === 0) return <p className="muted small" data-testid="burst-rule">No bursts or near-duplicates among the scored images.</p>;
  const apply = () => {
    const { reject } = burstPlan(useLeaf.getState());
    const changed = useLeaf.getState().decide([{ keys: reject, edit: { flag: 'reject' } }], 'rule');
    useLeaf.getState().setCullNotice({ kind: 'ok', text: `Rejected ${changed} frame${changed === 1 ? '' : 's'}, keeping the best of each of ${bursts} burst${bursts === 1 ? '' : 's'}. Ctrl+Z undoes it.` });
  };
  return (
    <div className="rule-panel" data-testid="burst-rule">
      <span>
        {bursts} burst{bursts === 1 ? '' : 's'} (look-alike frames taken within seconds)
      </span>
      <button className="button small" onClick={apply} disabled={toReject === 0} data-testid="apply-bursts">
        Keep the best of each: reject {toReject}
      </button>
      <p className="muted small">The best frame is the highest score; a frame you picked (P) is kept instead. Frames you flagged by hand are left as they are.</p>
    </div>
  );
}
