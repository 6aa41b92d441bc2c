import { useEffect, useRef } from 'react';
import { ScorePill } from '../../shared/ui/score-pill.tsx';
import { useDisplayUrl } from '../../shared/ui/use-display-url.ts';
import { useImageFile } from '../../engine-client/use-image-file.ts';
import { displayScore, selectScale } from '../../store/selectors.ts';
import { useLeaf } from '../../store/store.ts';
import type { View } from './use-zoom-pan.ts';

interface Props {
  id: string;
  view: View;
  zoom: (factor: number, cx: number, cy: number) => void;
  pan: (dx: number, dy: number) => void;
  reset: () => void;
}

export function ComparePane({ id, view, zoom, pan, reset }: Props) {
  const item = useLeaf((s) => s.images.byId[id]);
  const value = useLeaf((s) => (item ? displayScore(s, item) : null));
  const scale = useLeaf(selectScale);
  const url = useDisplayUrl(useImageFile(id), item?.format);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // Native listener: React's wheel handlers are passive and cannot stop the page from scrolling.
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      zoom(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left - r.width / 2, e.clientY - r.top - r.height / 2);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoom]);

  const onPointerDown = (e: React.PointerEvent) => {
    const el = e.currentTarget as HTMLElement;
    el.setPointerCapture(e.pointerId);
    let last = { x: e.clientX, y: e.clientY };
    const move = (ev: PointerEvent) => {
      pan(ev.clientX - last.x, ev.clientY - last.y);
      last = { x: ev.clientX, y: ev.clientY };
    };
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
  };

  if (!item) return null;
  return (
    <div className="compare-pane" data-testid="compare-pane" data-name={item.name}>
      <header>
        <span className="card-name" title={item.path}>
          {item.name}
        </span>
        {value !== null && scale && <ScorePill value={value} scale={scale} />}
      </header>
      <div className="compare-stage" ref={box} onPointerDown={onPointerDown} onDoubleClick={reset}>
        {url && (
          <img
            src={url}
            alt={item.name}
            draggable={false}
            data-testid="compare-image"
            style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}
          />
        )}
      </div>
    </div>
  );
}
