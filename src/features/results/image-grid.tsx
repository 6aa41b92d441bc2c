import { selectShownIds } from '../../store/selectors.ts';
import { useLeaf } from '../../store/store.ts';
import { ImageCard } from './image-card.tsx';
import { useVirtualGrid } from './use-virtual-grid.ts';

const MIN_CELL = 168;
const CELL_HEIGHT = 212;
const GAP = 12;

/** Virtualised grid: only the rows in view (plus a margin) are in the DOM, so thousands of images scroll smoothly. */
export function ImageGrid() {
  const ids = useLeaf(selectShownIds);
  const { ref, layout } = useVirtualGrid(ids.length, MIN_CELL, CELL_HEIGHT, GAP);
  const cells = [];
  for (let i = layout.first; i < layout.last; i++) {
    const row = Math.floor(i / layout.columns);
    const col = i % layout.columns;
    cells.push(
      <ImageCard
        key={ids[i]}
        id={ids[i]!}
        style={{ position: 'absolute', top: row * layout.rowHeight, left: col * (layout.cellWidth + GAP), width: layout.cellWidth, height: CELL_HEIGHT }}
      />,
    );
  }
  return (
    <div className="grid-scroll" ref={ref} data-testid="image-grid" data-count={ids.length}>
      {ids.length === 0 ? (
        <div className="grid-empty">No images match the filter.</div>
      ) : (
        <div className="grid-inner" style={{ height: layout.totalHeight }}>
          {cells}
        </div>
      )}
    </div>
  );
}
