import { memo } from 'react';
import { Modal } from '../../shared/ui/modal.tsx';
import { ScorePill } from '../../shared/ui/score-pill.tsx';
import { selectCullIds } from '../../store/culling-selectors.ts';
import { displayScore, selectScale } from '../../store/selectors.ts';
import { useLeaf } from '../../store/store.ts';
import { CullStage } from './cull-stage.tsx';
import { DecisionBar } from './decision-bar.tsx';
import { Filmstrip } from './filmstrip.tsx';
import { BurstRulePanel } from './burst-rule-panel.tsx';
import { RestRulePanel } from './rest-rule-panel.tsx';
import { ShortcutsHelp } from './shortcuts-help.tsx';
import { StarRulesPanel } from './star-rules-panel.tsx';
import { useCullKeys } from './use-cull-keys.ts';
import { WriteBackPanel } from './write-back-panel.tsx';
import './culling.css';

/** The culling view: one image large, a filmstrip, decisions by keyboard or buttons, rules and write-back. */
export function CullingView() {
  const id = useLeaf((s) => s.culling.currentId);
  const exists = useLeaf((s) => (id ? !!s.images.byId[id] : false));
  return id && exists ? <CullingOpen id={id} /> : null;
}

function CullingOpen({ id }: { id: string }) {
  const ids = useLeaf(selectCullIds);
  const item = useLeaf((s) => s.images.byId[id]!);
  const value = useLeaf((s) => displayScore(s, item));
  const scale = useLeaf(selectScale);
  const notice = useLeaf((s) => s.culling.notice);
  const canUndo = useLeaf((s) => s.culling.history.past.length > 0);
  const canRedo = useLeaf((s) => s.culling.history.future.length > 0);
  const { closeCulling, undoDecision, redoDecision } = useLeaf.getState();
  const onKey = useCullKeys(ids, id);
  const index = ids.indexOf(id);
  return (
    <Modal label="Culling" onClose={closeCulling} onKey={onKey}>
      <div className="cull-view" data-testid="cull-view" data-name={item.name}>
        <div className="cull-main">
          <CullStage id={id} />
          <Filmstrip ids={ids} current={id} />
        </div>
        <aside className="cull-side">
          <button className="close" onClick={closeCulling} aria-label="Close culling">
            ×
          </button>
          <h2 title={item.path}>{item.name}</h2>
          <div className="large-score">
            {value !== null && scale && <ScorePill value={value} scale={scale} large />}
            <span className="muted" aria-live="polite">
              {index + 1} of {ids.length}
            </span>
          </div>
          <DecisionBar id={id} />
          <div className="undo-row">
            <button className="button small ghost" onClick={undoDecision} disabled={!canUndo} data-testid="undo">
              Undo
            </button>
            <button className="button small ghost" onClick={redoDecision} disabled={!canRedo} data-testid="redo">
              Redo
            </button>
          </div>
          <RulePanels />
          {notice && (
            <p className={notice.kind === 'error' ? 'cull-notice bad' : 'cull-notice'} role="status" data-testid="cull-notice">
              {notice.text}
            </p>
          )}
          <ShortcutsHelp />
        </aside>
      </div>
    </Modal>
  );
}

/** The rule panels, apart from the view: they read the whole shoot (star counts over every score), so they must
 * not render again for each key that steps to the next image. */
const RulePanels = memo(function RulePanels() {
  return (
    <>
      <details className="cull-section">
        <summary>Stars by score</summary>
        <StarRulesPanel />
      </details>
      <details className="cull-section">
        <summary>Select the rest by rule</summary>
        <RestRulePanel />
      </details>
      <details className="cull-section">
        <summary>Bursts</summary>
        <BurstRulePanel />
      </details>
      <details className="cull-section">
        <summary>Write XMP sidecars</summary>
        <WriteBackPanel />
      </details>
    </>
  );
});
