import { useMemo } from 'react';
// Type-only, from the TF-free score-mode.ts: TF.js belongs in the worker bundle alone.
import type { ScoreMode } from '../../core/model/score-mode.ts';
import { rescore } from '../../engine-client/scoring-service.ts';
import { MODE_HINT, MODE_LABEL } from '../../shared/score-modes.ts';
import { useLeaf } from '../../store/store.ts';

const MODES: readonly ScoreMode[] = ['fast', 'accurate'];

/** Quick / Detail setting; offers to rescore images that were scored in the other mode. */
export function ModeSwitch() {
  const mode = useLeaf((s) => s.settings.mode);
  const setMode = useLeaf((s) => s.setMode);
  const byId = useLeaf((s) => s.images.byId);
  const order = useLeaf((s) => s.images.order);
  const active = useLeaf((s) => s.run.active);
  const stale = useMemo(() => order.filter((id) => byId[id]!.score && byId[id]!.score!.mode !== mode), [order, byId, mode]);
  return (
    <div className="mode-switch">
      <div className="segmented" role="radiogroup" aria-label="Scoring mode">
        {MODES.map((m) => (
          <button key={m} role="radio" aria-checked={m === mode} className={m === mode ? 'on' : ''} title={MODE_HINT[m]} onClick={() => setMode(m)} data-testid={`mode-${m}`}>
            {MODE_LABEL[m]}
          </button>
        ))}
      </div>
      {stale.length > 0 && !active && (
        <button className="button small" onClick={() => rescore(stale)} data-testid="rescore">
          Rescore {stale.length} in {MODE_LABEL[mode]} mode
        </button>
      )}
    </div>
  );
}
