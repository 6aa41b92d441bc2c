import { useCallback, useState } from 'react';

export interface View {
  readonly scale: number;
  /** Translation in CSS pixels, relative to the pane centre. */
  readonly x: number;
  readonly y: number;
}

export const FIT: View = { scale: 1, x: 0, y: 0 };
const MIN = 1;
const MAX = 16;

/** Zooms by `factor` keeping the point at (cx, cy) (relative to the pane centre) fixed on screen. */
export function zoomAt(v: View, factor: number, cx: number, cy: number): View {
  const scale = Math.min(MAX, Math.max(MIN, v.scale * factor));
  const f = scale / v.scale;
  if (scale === MIN) return FIT;
  return { scale, x: cx - (cx - v.x) * f, y: cy - (cy - v.y) * f };
}

/** One view shared by both panes: zooming or panning either moves both. */
export function useSyncedView() {
  const [view, setView] = useState<View>(FIT);
  const zoom = useCallback((factor: number, cx = 0, cy = 0) => setView((v) => zoomAt(v, factor, cx, cy)), []);
  const pan = useCallback((dx: number, dy: number) => setView((v) => (v.scale === 1 ? v : { ...v, x: v.x + dx, y: v.y + dy })), []);
  const reset = useCallback(() => setView(FIT), []);
  return { view, zoom, pan, reset };
}
