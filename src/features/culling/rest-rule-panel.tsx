import { useState } from 'react';
import { formatScore } from '../../shared/score-scale.ts';
import { selectScale } from '../../store/selectors.ts';
import { useLeaf } from '../../store/store.ts';
import { selectRuleRows } from './rule-rows.ts';

/** "Select the rest by rule": reject every image not flagged by hand that scores below a threshold. */
export function RestRulePanel() {
  const scale = useLeaf(selectScale);
  const rows = useLeaf(selectRuleRows);
  const [text, setText] = useState('');
  if (!scale) return null;
  const below = text.trim() === '' ? NaN : Number(text);
  const valid = Number.isFinite(below);
  const targets = valid ? rows.filter((r) => r.value < below && r.decision.flagBy !== 'hand' && r.decision.flag !== 'reject') : [];

  const apply = () => {
    const changed = useLeaf.getState().decide([{ keys: targets.map((r) => r.key), edit: { flag: 'reject' } }], 'rule');
    useLeaf.getState().setCullNotice({ kind: 'ok', text: `Rejected ${changed} image${changed === 1 ? '' : 's'} scoring below ${formatScore(below, scale)}. Ctrl+Z undoes it.` });
  };

  return (
    <div className="rule-panel" data-testid="rest-rule">
      <label>
        Reject the rest below
        <input type="number" step="any" value={text} placeholder={formatScore(scale.min + (scale.max - scale.min) * 0.3, scale)} onChange={(e) => setText(e.target.value)} aria-label="Reject unflagged images scoring below" data-testid="reject-below" />
      </label>
      <button className="button small" onClick={apply} disabled={targets.length === 0} data-testid="apply-reject">
        Reject {targets.length}
      </button>
      <p className="muted small">Images you flagged by hand are left as they are.</p>
    </div>
  );
}
