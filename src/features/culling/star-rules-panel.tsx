import { useState } from 'react';
import { evenThresholds, starCounts, starsFor, type StarThresholds, validThresholds } from '../../core/culling/star-rules.ts';
import { formatScore } from '../../shared/score-scale.ts';
import { selectScale } from '../../store/selectors.ts';
import { useLeaf } from '../../store/store.ts';
import { selectRuleRows } from './rule-rows.ts';

/** Rules to stars: four thresholds on the displayed scale, a live count per star, and Apply (one undo step). */
export function StarRulesPanel() {
  const scale = useLeaf(selectScale);
  const saved = useLeaf((s) => s.culling.settings.thresholds);
  const rows = useLeaf(selectRuleRows);
  const [draft, setDraft] = useState<string[] | null>(null);
  if (!scale) return null;
  const base = saved ?? evenThresholds(scale.min, scale.max);
  const texts = draft ?? base.map((v) => String(v));
  const parsed = texts.map((t) => (t.trim() === '' ? NaN : Number(t)));
  const valid = validThresholds(parsed);
  const t: StarThresholds = valid ? parsed : base;
  const counts = starCounts(
    rows.map((r) => r.value),
    t,
  );
  const byHand = rows.filter((r) => r.decision.starsBy === 'hand').length;

  const edit = (i: number, v: string) => {
    const next = [...texts];
    next[i] = v;
    setDraft(next);
    const nums = next.map(Number);
    if (validThresholds(nums) && next.every((x) => x.trim() !== '')) useLeaf.getState().setCullSettings({ thresholds: nums });
  };

  const apply = () => {
    const groups = [1, 2, 3, 4, 5].map((stars) => ({ keys: rows.filter((r) => starsFor(r.value, t) === stars).map((r) => r.key), edit: { stars } }));
    const changed = useLeaf.getState().decide(groups, 'rule');
    useLeaf.getState().setCullNotice({ kind: 'ok', text: `Stars from the rule: ${changed} image${changed === 1 ? '' : 's'} changed${byHand ? `; ${byHand} rated by hand kept their stars` : ''}. Ctrl+Z undoes it.` });
  };

  return (
    <div className="rule-panel" data-testid="star-rules">
      <p className="muted small">Scores on {scale.name}. An image gets the most stars whose threshold it reaches.</p>
      <div className="thresholds">
        {texts.map((v, i) => (
          <label key={i}>
            {'★'.repeat(i + 2)} from
            <input type="number" step="any" value={v} onChange={(e) => edit(i, e.target.value)} aria-label={`${i + 2} stars from score`} data-testid={`threshold-${i + 2}`} />
          </label>
        ))}
      </div>
      {!valid && <p className="bad small" role="alert">Thresholds must be numbers, each at least the one before.</p>}
      <table className="star-preview" aria-label="Images per star" data-testid="star-preview">
        <tbody>
          {counts.map((n, i) => (
            <tr key={i} data-stars={i + 1} data-count={n}>
              <th scope="row">{'★'.repeat(i + 1)}</th>
              <td className="muted small">{i === 0 ? `below ${formatScore(t[0], scale)}` : i === 4 ? `${formatScore(t[3], scale)} and up` : `${formatScore(t[i - 1]!, scale)}–${formatScore(t[i]!, scale)}`}</td>
              <td className="num">{n}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {byHand > 0 && <p className="muted small">{byHand} rated by hand keep their stars.</p>}
      <button className="button small" onClick={apply} disabled={!valid || rows.length === 0} data-testid="apply-stars">
        Apply stars
      </button>
    </div>
  );
}
