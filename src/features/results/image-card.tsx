import { memo } from 'react';
import { thumbUrlOf } from '../../engine-client/scoring-service.ts';
import { decisionOf } from '../../store/culling-selectors.ts';
import { type BurstLabel, burstOf, displayScore, selectScale } from '../../store/selectors.ts';
import { useLeaf } from '../../store/store.ts';
import { ScorePill } from '../../shared/ui/score-pill.tsx';
import type { ImageErrorCode } from '../../worker/protocol.ts';

const ERROR_LABEL: Record<ImageErrorCode, string> = {
  empty: 'Empty file',
  'not-image': 'Not an image',
  unsupported: 'Unsupported format',
  'decode-failed': 'Cannot decode',
  'too-large': 'Too large',
  timeout: 'Timed out',
  'inference-failed': 'Scoring failed',
  unreadable: 'Cannot read',
};

/** A burst's badge: a label, or with Stack bursts on, the button that opens and closes its stack. */
function BurstBadge({ burst, stacking, onToggle }: { burst: BurstLabel; stacking: boolean; onToggle: () => void }) {
  const shared = { 'data-testid': 'burst-badge', 'data-size': burst.size, 'data-best': burst.best };
  const kind = burst.best ? ' best' : '';
  if (!stacking) {
    return (
      <div className={`burst-badge${kind}`} {...shared} title={burst.best ? `Best of a burst of ${burst.size} by score` : `One of a burst of ${burst.size}`}>
        {burst.best ? `best of ${burst.size}` : `burst of ${burst.size}`}
      </div>
    );
  }
  return (
    <button
      className={`burst-badge stack${kind}`}
      {...shared}
      data-closed={burst.closed}
      onClick={onToggle}
      aria-expanded={!burst.closed}
      title={burst.closed ? `A stack of ${burst.size} frames: open it to see them all` : `Close the stack of ${burst.size} frames`}
    >
      {burst.closed ? `▸ stack of ${burst.size}` : `${burst.best ? 'best' : 'frame'} of ${burst.size} ▾`}
    </button>
  );
}

/** One grid cell: thumbnail, name, score or error badge, compare tick. */
export const ImageCard = memo(function ImageCard({ id, style }: { id: string; style: React.CSSProperties }) {
  const item = useLeaf((s) => s.images.byId[id]);
  // A kept score's thumbnail arrives from the score store after the first render that asked for it.
  const storedThumb = useLeaf((s) => s.thumbsLoaded[id] ?? 0);
  const value = useLeaf((s) => (item ? displayScore(s, item) : null));
  const scale = useLeaf(selectScale);
  const selected = useLeaf((s) => s.view.selected.includes(id));
  const decision = useLeaf((s) => decisionOf(s, id));
  const burst = useLeaf((s) => burstOf(s, id));
  const openLarge = useLeaf((s) => s.openLarge);
  const toggleSelected = useLeaf((s) => s.toggleSelected);
  const stacking = useLeaf((s) => s.culling.settings.stackBursts);
  const toggleStack = useLeaf((s) => s.toggleStack);
  if (!item) return null;
  const thumb = item.thumbVersion + storedThumb > 0 ? thumbUrlOf(id) : null;
  return (
    <div className={`image-card status-${item.status}${selected ? ' selected' : ''}`} style={style} data-testid="image-card" data-name={item.name} data-status={item.status}>
      <button className="thumb" onClick={() => openLarge(id)} aria-label={`Open ${item.name}`} disabled={item.status === 'failed'}>
        {thumb ? <img src={thumb} alt="" draggable={false} /> : <span className={item.status === 'queued' ? 'thumb-wait' : 'thumb-none'} aria-hidden />}
      </button>
      <div className="card-meta">
        <span className="card-name" title={item.path}>
          {item.name}
        </span>
        {(decision.stars || decision.flag) && (
          <span className={`card-decision${decision.flag === 'reject' ? ' bad' : ''}`} data-testid="card-decision" title={`${decision.stars ?? 0} stars${decision.flag ? `, ${decision.flag}ed` : ''}`}>
            {decision.flag === 'reject' ? '✕' : decision.flag === 'pick' ? '⚑' : ''}
            {decision.stars ? '★'.repeat(decision.stars) : ''}
          </span>
        )}
        {value !== null && scale && <ScorePill value={value} scale={scale} />}
      </div>
      {item.status === 'failed' && item.error && (
        <div className="error-badge" data-testid="error-badge" data-code={item.error.code} title={item.error.message}>
          <strong>{ERROR_LABEL[item.error.code] ?? 'Error'}</strong>
          <span>{item.error.message}</span>
        </div>
      )}
      {item.status === 'cancelled' && <div className="status-badge">Cancelled</div>}
      {burst && <BurstBadge burst={burst} stacking={stacking} onToggle={() => toggleStack(burst.stack)} />}
      {item.downscaledFrom && (
        <div className="info-badge" data-testid="downscaled-badge" title={`Decoded at ${item.width}×${item.height} from ${item.downscaledFrom.width}×${item.downscaledFrom.height}`}>
          downscaled
        </div>
      )}
      {item.status === 'scored' && (
        <label className="pick" title="Tick two to four images to compare them">
          <input type="checkbox" checked={selected} onChange={() => toggleSelected(id)} aria-label={`Select ${item.name} for comparison`} />
        </label>
      )}
    </div>
  );
});
