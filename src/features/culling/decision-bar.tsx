import type { Edit } from '../../core/culling/decisions.ts';
import { decisionOf } from '../../store/culling-selectors.ts';
import { useLeaf } from '../../store/store.ts';

/** Stars and flag of one image as toggle buttons (the mouse path to what the keys do), showing who set them. */
export function DecisionBar({ id }: { id: string }) {
  const d = useLeaf((s) => decisionOf(s, id));
  const key = useLeaf((s) => s.images.byId[id]?.contentKey ?? null);
  const set = (edit: Edit) => key && useLeaf.getState().decide([{ keys: [key], edit }], 'hand');
  return (
    <div className="decision-bar" data-testid="decision" data-stars={d.stars ?? ''} data-flag={d.flag ?? ''}>
      <div className="stars" role="group" aria-label="Stars">
        {[0, 1, 2, 3, 4, 5].map((n) => (
          <button key={n} className={`star${d.stars !== null && n <= d.stars && n > 0 ? ' on' : ''}`} aria-pressed={d.stars === n} onClick={() => set({ stars: d.stars === n ? null : n })} title={`${n} star${n === 1 ? '' : 's'} (key ${n})`}>
            {n === 0 ? '0' : '★'}
          </button>
        ))}
      </div>
      <div className="flags" role="group" aria-label="Flag">
        <button className={`flag is-pick${d.flag === 'pick' ? ' on' : ''}`} aria-pressed={d.flag === 'pick'} onClick={() => set({ flag: d.flag === 'pick' ? null : 'pick' })} title="Pick (P)">
          Pick
        </button>
        <button className={`flag is-reject${d.flag === 'reject' ? ' on' : ''}`} aria-pressed={d.flag === 'reject'} onClick={() => set({ flag: d.flag === 'reject' ? null : 'reject' })} title="Reject (X)">
          Reject
        </button>
      </div>
      <p className="sr-only" aria-live="polite">
        {d.stars === null ? 'No stars' : `${d.stars} star${d.stars === 1 ? '' : 's'}`}
        {d.flag === 'pick' ? ', picked' : d.flag === 'reject' ? ', rejected' : ''}
      </p>
      <p className="muted small" data-testid="decision-source">
        {d.starsBy === 'rule' ? 'Stars from a rule. ' : ''}
        {d.flagBy === 'rule' ? 'Flag from a rule. ' : ''}
        {d.starsBy === 'hand' || d.flagBy === 'hand' ? 'Set by hand: rules leave it alone.' : ''}
      </p>
    </div>
  );
}
