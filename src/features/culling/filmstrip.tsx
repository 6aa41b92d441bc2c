import { memo } from 'react';
import { thumbUrlOf } from '../../engine-client/scoring-service.ts';
import { decisionOf } from '../../store/culling-selectors.ts';
import { useLeaf } from '../../store/store.ts';

/**
 * Thumbnails around the current image (a window, so 5,000 images cost no more than 61), the current one
 * always in the middle slot (empty slots pad the ends) of a strip the stylesheet centres: stepping moves no
 * scroll position, where scrolling the current frame into view forced a layout on every key.
 */
const RADIUS = 30;

const Frame = memo(function Frame({ id, current }: { id: string; current: boolean }) {
  const item = useLeaf((s) => s.images.byId[id]);
  // A kept score's thumbnail arrives from the score store after the first render that asked for it.
  const storedThumb = useLeaf((s) => s.thumbsLoaded[id] ?? 0);
  const d = useLeaf((s) => decisionOf(s, id));
  if (!item) return null;
  const thumb = item.thumbVersion + storedThumb > 0 ? thumbUrlOf(id) : null;
  return (
    <button
      className={`frame${current ? ' current' : ''}${d.flag ? ` is-${d.flag}` : ''}`}
      aria-current={current || undefined}
      aria-label={`${item.name}${d.stars !== null ? `, ${d.stars} stars` : ''}${d.flag ? `, ${d.flag}ed` : ''}`}
      tabIndex={-1}
      onClick={() => useLeaf.getState().openCulling(id)}
      data-testid="frame"
      data-name={item.name}
    >
      {thumb ? <img src={thumb} alt="" draggable={false} /> : <span className="thumb-none" aria-hidden />}
      {(d.stars !== null || d.flag) && (
        <span className="frame-badge" aria-hidden>
          {d.flag === 'reject' ? '✕' : d.flag === 'pick' ? '⚑' : ''}
          {d.stars ? '★'.repeat(d.stars) : ''}
        </span>
      )}
    </button>
  );
});

export function Filmstrip({ ids, current }: { ids: readonly string[]; current: string }) {
  const at = Math.max(0, ids.indexOf(current));
  const slots = Array.from({ length: 2 * RADIUS + 1 }, (_, k) => at - RADIUS + k);
  return (
    <nav className="filmstrip" aria-label="Filmstrip" data-testid="filmstrip">
      {slots.map((i) => {
        const id = ids[i];
        return id === undefined ? <span key={`slot-${i}`} className="frame-slot" aria-hidden /> : <Frame key={id} id={id} current={id === current} />;
      })}
    </nav>
  );
}
