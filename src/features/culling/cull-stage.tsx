import { useLayoutEffect, useRef, useState } from 'react';
import { useDisplayUrl } from '../../shared/ui/use-display-url.ts';
import { useImageFile } from '../../engine-client/use-image-file.ts';
import { useLeaf } from '../../store/store.ts';
import { zoomTarget, type ZoomTarget } from './zoom-target.ts';

/** The image large: fitted, or at 100% (one image pixel per CSS pixel) scrolled to the zoom target. */
export function CullStage({ id }: { id: string }) {
  const item = useLeaf((s) => s.images.byId[id]);
  const zoom = useLeaf((s) => s.culling.zoom);
  const url = useDisplayUrl(useImageFile(id), item?.format);
  const box = useRef<HTMLDivElement>(null);
  const [natural, setNatural] = useState<{ url: string; width: number; height: number } | null>(null);
  const size = natural && natural.url === url ? natural : null;
  const target: ZoomTarget | null = item && size ? zoomTarget(item, size) : null;

  useLayoutEffect(() => {
    const el = box.current;
    if (!zoom || !el || !target) return;
    el.scrollLeft = target.x - el.clientWidth / 2;
    el.scrollTop = target.y - el.clientHeight / 2;
  }, [zoom, target?.x, target?.y]);

  if (!item) return null;
  return (
    <div className="cull-stage-wrap">
      <div
        ref={box}
        className={`cull-stage${zoom ? ' zoomed' : ''}`}
        data-testid="cull-stage"
        data-zoom={zoom ? '100' : 'fit'}
        data-zoom-source={zoom && target ? target.source : ''}
        data-zoom-x={zoom && target ? Math.round(target.x) : ''}
        data-zoom-y={zoom && target ? Math.round(target.y) : ''}
      >
        {url && (
          <img
            src={url}
            alt={item.name}
            draggable={false}
            style={zoom && size ? { width: size.width, height: size.height } : undefined}
            onLoad={(e) => setNatural({ url, width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
          />
        )}
      </div>
      {zoom && target && (
        <span className="zoom-note" role="status">
          100% · {target.source === 'sharpest-patch' ? 'sharpest region' : 'centre (no detail patches: score in Detail mode to find the sharpest region)'}
        </span>
      )}
    </div>
  );
}
