import { type ReactNode, useCallback, useState } from 'react';
import { userIsNavigating } from '../../engine-client/scoring-service.ts';
import { Modal } from '../../shared/ui/modal.tsx';
import { ScorePill } from '../../shared/ui/score-pill.tsx';
import { useDisplayUrl } from '../../shared/ui/use-display-url.ts';
import { useImageFile } from '../../engine-client/use-image-file.ts';
import { displayScore, selectScale, selectShownIds } from '../../store/selectors.ts';
import { useLeaf } from '../../store/store.ts';
import { MODE_LABEL } from '../../shared/score-modes.ts';
import { LevelBars } from './level-bars.tsx';
import { PatchOverlay } from './patch-overlay.tsx';
import { QualityMapOverlay, useExplanation } from './quality-map.tsx';

/** One image large with its score; ← / → step through the visible images, Esc closes. */
/** `extra`: more facts for the open image, composed in by the app (e.g. calibration's interval and Rate action). */
export function LargeView({ extra }: { extra?: (id: string) => ReactNode } = {}) {
  const id = useLeaf((s) => s.view.largeId);
  return id ? <LargeViewOpen id={id} extra={extra} /> : null;
}

function LargeViewOpen({ id, extra }: { id: string; extra?: (id: string) => ReactNode }) {
  const item = useLeaf((s) => s.images.byId[id]);
  const value = useLeaf((s) => (item ? displayScore(s, item) : null));
  const scale = useLeaf(selectScale);
  const ids = useLeaf(selectShownIds);
  const { openLarge, closeLarge } = useLeaf.getState();
  const url = useDisplayUrl(useImageFile(id), item?.format);
  const [explaining, setExplaining] = useState(false);
  const why = useExplanation(id, explaining && item?.status === 'scored');
  const index = ids.indexOf(id);
  const step = useCallback(
    (delta: number) => {
      userIsNavigating();
      const next = ids[index + delta];
      if (index >= 0 && next) openLarge(next);
    },
    [ids, index, openLarge],
  );
  const onKey = useCallback(
    (e: KeyboardEvent) => {
      if (e.key === 'ArrowRight' || e.key === 'ArrowDown') step(1);
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') step(-1);
      else if (e.key === 'm' || e.key === 'M') setExplaining((on) => !on);
      else return;
      e.preventDefault();
    },
    [step],
  );
  if (!item) return null;
  return (
    <Modal label={`Image ${item.name}`} onClose={closeLarge} onKey={onKey}>
      <div className="large-view" data-testid="large-view" data-name={item.name}>
        <div className="large-image">
          {url && <img src={url} alt={item.name} />}
          {item.score?.patches && item.width && item.height && <PatchOverlay patches={item.score.patches} width={item.width} height={item.height} />}
          {why.status === 'ready' && item.score && item.width && item.height && <QualityMapOverlay explanation={why.explanation} score={item.score.raw} width={item.width} height={item.height} />}
          <button className="nav prev" onClick={() => step(-1)} disabled={index <= 0} aria-label="Previous image">
            ‹
          </button>
          <button className="nav next" onClick={() => step(1)} disabled={index < 0 || index >= ids.length - 1} aria-label="Next image">
            ›
          </button>
        </div>
        <aside className="large-info">
          <button className="close" onClick={closeLarge} aria-label="Close">
            ×
          </button>
          <h2 title={item.path}>{item.name}</h2>
          {value !== null && scale && item.score ? (
            <>
              <div className="large-score">
                <ScorePill value={value} scale={scale} large />
                <span className="muted">
                  on {scale.name}, {scale.min}–{scale.max}
                </span>
              </div>
              <LevelBars probs={item.score.probs} />
              <dl className="facts">
                <dt>Mode</dt>
                <dd data-testid="score-mode">
                  {MODE_LABEL[item.score.mode]}
                  {item.score.patches && ` + ${item.score.patches.length} patches at 1:1`}
                </dd>
                <dt>Backend</dt>
                <dd data-testid="score-source">
                  {item.score.backend}
                  {item.score.stored && ' · kept from an earlier session (same file, model and mode)'}
                </dd>
                <dt>Size</dt>
                <dd>
                  {item.width}×{item.height}
                  {item.downscaledFrom && ` (downscaled from ${item.downscaledFrom.width}×${item.downscaledFrom.height})`}
                </dd>
                <dt>Format</dt>
                <dd>{item.format}</dd>
              </dl>
              <div className="why" data-testid="why">
                <button className="button small" onClick={() => setExplaining((on) => !on)} aria-pressed={explaining} data-testid="quality-map-toggle">
                  {explaining ? 'Hide quality map' : 'Why this score? (M)'}
                </button>
                {why.status === 'loading' && <p className="muted small">Scoring regions…</p>}
                {why.status === 'failed' && <p className="bad small">{why.message}</p>}
                {why.status === 'ready' && (
                  <>
                    <p className="muted small">
                      Each cell of the 512 px view scored by the Detail head (model scale): red below this image's {item.score.raw.toFixed(2)}, green above.
                    </p>
                    {why.explanation.reasons.length > 0 ? (
                      <ul className="reasons" data-testid="reasons">
                        {why.explanation.reasons.map((r) => (
                          <li key={r.kind} data-kind={r.kind}>
                            {r.text}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <p className="muted small" data-testid="reasons-none">
                        No clipped highlights or shadows, no strong JPEG compression measured.
                      </p>
                    )}
                  </>
                )}
              </div>
              {extra?.(id)}
            </>
          ) : (
            <p className="muted">{item.error?.message ?? (item.status === 'queued' ? 'Waiting to be scored…' : 'Not scored')}</p>
          )}
          <p className="hint">
            {index + 1} of {ids.length} · ← → to browse · Esc to close
          </p>
        </aside>
      </div>
    </Modal>
  );
}
