import { useCallback, useEffect, useState } from 'react';

export interface GridLayout {
  readonly columns: number;
  readonly cellWidth: number;
  readonly rowHeight: number;
  readonly totalHeight: number;
  /** Item index range to render, [first, last). */
  readonly first: number;
  readonly last: number;
}

/** Fixed-size cells, so the layout is arithmetic: what fits in the width, and which rows are in view. */
export function computeLayout(count: number, width: number, scrollTop: number, viewHeight: number, minCell: number, cellHeight: number, gap: number, overscanRows = 2): GridLayout {
  const columns = Math.max(1, Math.floor((width + gap) / (minCell + gap)));
  const cellWidth = Math.max(1, (width - gap * (columns - 1)) / columns);
  const rowHeight = cellHeight + gap;
  const rows = Math.ceil(count / columns);
  const firstRow = Math.max(0, Math.floor(scrollTop / rowHeight) - overscanRows);
  const lastRow = Math.min(rows, Math.ceil((scrollTop + viewHeight) / rowHeight) + overscanRows);
  return { columns, cellWidth, rowHeight, totalHeight: Math.max(0, rows * rowHeight - gap), first: firstRow * columns, last: Math.min(count, lastRow * columns) };
}

/** Tracks a scroll container's size and scroll position; returns the grid layout for `count` items. */
export function useVirtualGrid(count: number, minCell: number, cellHeight: number, gap: number) {
  const [el, setEl] = useState<HTMLElement | null>(null);
  const [box, setBox] = useState({ width: 0, height: 0, scrollTop: 0 });
  const ref = useCallback((node: HTMLElement | null) => setEl(node), []);
  useEffect(() => {
    if (!el) return;
    const measure = () => setBox({ width: el.clientWidth, height: el.clientHeight, scrollTop: el.scrollTop });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    el.addEventListener('scroll', measure, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', measure);
    };
  }, [el]);
  const layout = computeLayout(count, box.width, box.scrollTop, box.height, minCell, cellHeight, gap);
  return { ref, layout, element: el };
}
