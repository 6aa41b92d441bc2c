// Rating as subjective tests do it: ACR (ITU-T P.910, Table 1): 5 Excellent, 4 Good, 3 Fair, 2 Poor,
// 1 Bad; keys 1-5 give that value. A continuous 0-100 slider mode instead (Enter rates). S skips,
// U or Ctrl+Z undoes, Esc closes. The next image is proposed by active selection.
import { useCallback, useState } from 'react';
import { RATING_RANGES } from '../../core/calibration/profile.ts';
import { Modal } from '../../shared/ui/modal.tsx';
import { useDisplayUrl } from '../../shared/ui/use-display-url.ts';
import { useImageFile } from '../../engine-client/use-image-file.ts';
import { displayScore, selectScale } from '../../store/selectors.ts';
import { useLeaf } from '../../store/store.ts';
import { closeRating, rate, setRater, setRatingMode, skipImage, undoRating } from './rating.ts';
import { StorageNotice } from './storage-notice.tsx';

export const ACR = [
  { value: 5, label: 'Excellent' },
  { value: 4, label: 'Good' },
  { value: 3, label: 'Fair' },
  { value: 2, label: 'Poor' },
  { value: 1, label: 'Bad' },
] as const;

export function RatePanel() {
  const open = useLeaf((s) => s.calibration.rating.open);
  return open ? <RatePanelOpen /> : null;
}

function RatePanelOpen() {
  const id = useLeaf((s) => s.calibration.rating.imageId);
  const item = useLeaf((s) => (id ? s.images.byId[id] : undefined));
  const c = useLeaf((s) => s.calibration);
  const value = useLeaf((s) => (item ? displayScore(s, item) : null));
  const scale = useLeaf(selectScale);
  const url = useDisplayUrl(useImageFile(id), item?.format);
  const [slider, setSlider] = useState(50);
  const mode = c.active?.ratingScale ?? c.mode;
  const key = item?.contentKey ?? undefined;
  const mine = c.active?.ratings.find((r) => r.imageKey === key && r.rater === (c.rater.trim() || 'me'));
  const interval = id ? c.intervals[id] : undefined;
  const locked = (c.active?.ratings.length ?? 0) > 0;

  const onKey = useCallback(
    (e: KeyboardEvent) => {
      if ((e.target as HTMLElement | null)?.tagName === 'INPUT' && (e.target as HTMLInputElement).type === 'text') return;
      if ((e.key === 'z' && (e.ctrlKey || e.metaKey)) || e.key === 'u' || e.key === 'U') void undoRating();
      else if (e.key === 's' || e.key === 'S') skipImage();
      else if (mode === 'acr5' && /^[1-5]$/.test(e.key) && id && !e.ctrlKey && !e.metaKey) void rate(id, Number(e.key));
      else if (mode === 'slider100' && e.key === 'Enter' && id) void rate(id, slider);
      else return;
      e.preventDefault();
    },
    [id, mode, slider],
  );

  return (
    <Modal label="Rate images" onClose={closeRating} onKey={onKey}>
      <div className="rate-panel" data-testid="rate-panel" data-name={item?.name ?? ''}>
        <div className="rate-image">{url ? <img src={url} alt={item?.name ?? ''} /> : <p className="muted">{id ? 'Loading…' : 'Every image is rated.'}</p>}</div>
        <aside className="rate-side">
          <button className="button small ghost close" onClick={closeRating} aria-label="Close">
            ×
          </button>
          <h2 title={item?.path}>{item?.name ?? 'Nothing to rate'}</h2>
          {value !== null && scale && (
            <p className="muted" data-testid="rate-prediction">
              Predicted {value.toFixed(scale.max - scale.min > 10 ? 1 : 2)} on {scale.name}
              {interval && ` (95% interval ${interval[0].toFixed(1)}–${interval[1].toFixed(1)})`}
            </p>
          )}
          {mine && <p data-testid="rate-current">Your rating: {mine.value}</p>}
          <label className="rater">
            Rater{' '}
            <input type="text" value={c.rater} onChange={(e) => setRater(e.target.value)} data-testid="rater-name" aria-label="Rater name" />
          </label>
          <div className="segmented mode-toggle" role="group" aria-label="Rating scale">
            <button className={mode === 'acr5' ? 'on' : ''} aria-pressed={mode === 'acr5'} disabled={locked && mode !== 'acr5'} onClick={() => setRatingMode('acr5')} data-testid="mode-acr">
              ACR 5-point
            </button>
            <button className={mode === 'slider100' ? 'on' : ''} aria-pressed={mode === 'slider100'} disabled={locked && mode !== 'slider100'} onClick={() => setRatingMode('slider100')} data-testid="mode-slider">
              Slider 0–100
            </button>
          </div>
          {mode === 'acr5' ? (
            <div className="acr" data-testid="acr-buttons">
              {ACR.map((a) => (
                <button key={a.value} disabled={!id} onClick={() => id && void rate(id, a.value)} data-testid={`acr-${a.value}`} className={mine?.value === a.value ? 'button current' : 'button'}>
                  <kbd>{a.value}</kbd> {a.label}
                </button>
              ))}
              <p className="hint">ITU-T P.910 ACR: 5 = Excellent … 1 = Bad; press 1–5.</p>
            </div>
          ) : (
            <div className="slider">
              <input type="range" min={0} max={100} step={1} value={slider} onChange={(e) => setSlider(Number(e.target.value))} aria-label="Quality 0 to 100" data-testid="rate-slider" />
              <div className="slider-scale">
                <span>0 bad</span>
                <b>{slider}</b>
                <span>100 excellent</span>
              </div>
              <button className="button primary" disabled={!id} onClick={() => id && void rate(id, slider)} data-testid="rate-submit">
                Rate {slider} (Enter)
              </button>
            </div>
          )}
          <div className="rate-actions">
            <button className="button small" onClick={skipImage} data-testid="rate-skip">
              Skip (S)
            </button>
            <button className="button small" onClick={() => void undoRating()} data-testid="rate-undo">
              Undo (U / Ctrl+Z)
            </button>
          </div>
          <StorageNotice />
          <p className="hint">
            {c.active ? `${c.active.ratings.length} ratings in “${c.active.name}”` : 'Your first rating creates a profile.'} · range {RATING_RANGES[mode].min}–{RATING_RANGES[mode].max}
          </p>
        </aside>
      </div>
    </Modal>
  );
}

/** In the large view: the calibrated interval and a Rate action for this image. */
export function CalibrationFacts({ id }: { id: string }) {
  const interval = useLeaf((s) => (s.calibration.displayCurve ? s.calibration.intervals[id] : undefined));
  const scored = useLeaf((s) => s.images.byId[id]?.status === 'scored');
  if (!scored) return null;
  return (
    <div className="cal-facts">
      {interval && (
        <p data-testid="score-interval">
          95% interval on your scale: {interval[0].toFixed(2)}–{interval[1].toFixed(2)}
        </p>
      )}
      <button
        onClick={() => {
          useLeaf.getState().closeLarge();
          import('./rating.ts').then((m) => m.openRating(id));
        }}
        data-testid="rate-this"
      >
        Rate this image
      </button>
    </div>
  );
}
