import type { ReactNode } from 'react';
import { clearAll } from '../../engine-client/scoring-service.ts';
import { selectBursts, selectCounts, selectScale, selectShownIds } from '../../store/selectors.ts';
import type { SortKey, StatusFilter } from '../../store/settings-slice.ts';
import { useLeaf } from '../../store/store.ts';
import { MAX_COMPARE } from '../../store/view-slice.ts';

const SORTS: { value: string; label: string }[] = [
  { value: 'added:asc', label: 'Order added' },
  { value: 'score:desc', label: 'Score, best first' },
  { value: 'score:asc', label: 'Score, worst first' },
  { value: 'name:asc', label: 'Name A–Z' },
];

function parseBound(v: string): number | null {
  if (v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Counts, sort, filters, compare and the export buttons (passed in by the app). */
export function ResultsToolbar({ actions }: { actions?: ReactNode }) {
  const counts = useLeaf(selectCounts);
  const shown = useLeaf((s) => selectShownIds(s).length);
  const stacked = useLeaf((s) => s.culling.settings.stackBursts);
  const bursts = useLeaf((s) => selectBursts(s).bursts.length);
  const settings = useLeaf((s) => s.settings);
  const scale = useLeaf(selectScale);
  const selected = useLeaf((s) => s.view.selected);
  const { setSort, setFilter, resetFilter, openCompare, setCullSettings } = useLeaf.getState();
  const filtered = settings.filter.min !== null || settings.filter.max !== null || settings.filter.status !== 'all';
  const hiding = filtered || shown < counts.total;
  return (
    <section className="results-toolbar" aria-label="Results">
      <div className="counts" data-testid="counts">
        <strong>{counts.total}</strong> images · {counts.scored} scored
        {counts.failed > 0 && <> · <span className="bad">{counts.failed} failed</span></>}
        {hiding && <> · showing {shown}</>}
      </div>
      <label>
        Sort
        <select value={`${settings.sort.key}:${settings.sort.dir}`} onChange={(e) => setSort(...(e.target.value.split(':') as [SortKey, 'asc' | 'desc']))} data-testid="sort">
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Show
        <select value={settings.filter.status} onChange={(e) => setFilter({ status: e.target.value as StatusFilter })} data-testid="status-filter">
          <option value="all">All</option>
          <option value="scored">Scored</option>
          <option value="failed">Failed</option>
        </select>
      </label>
      <label>
        Score
        <input
          type="number"
          step="0.1"
          min={scale?.min}
          max={scale?.max}
          placeholder={scale ? String(scale.min) : 'min'}
          value={settings.filter.min ?? ''}
          onChange={(e) => setFilter({ min: parseBound(e.target.value) })}
          aria-label="Minimum score"
          data-testid="min-score"
        />
        –
        <input
          type="number"
          step="0.1"
          min={scale?.min}
          max={scale?.max}
          placeholder={scale ? String(scale.max) : 'max'}
          value={settings.filter.max ?? ''}
          onChange={(e) => setFilter({ max: parseBound(e.target.value) })}
          aria-label="Maximum score"
          data-testid="max-score"
        />
      </label>
      {(bursts > 0 || stacked) && (
        <label title="Show each burst as one stack: its best frame stands for the others (click its badge to open it)">
          <input type="checkbox" checked={stacked} onChange={(e) => setCullSettings({ stackBursts: e.target.checked })} data-testid="stack-bursts" />
          Stack bursts
        </label>
      )}
      {filtered && (
        <button className="button small ghost" onClick={resetFilter}>
          Reset filter
        </button>
      )}
      <div className="toolbar-actions">
      <button
        className="button small"
        disabled={selected.length < 2}
        onClick={() => openCompare(selected)}
        title={`Tick two to ${MAX_COMPARE} images, then compare them side by side`}
        data-testid="compare"
      >
        Compare{selected.length > 0 ? ` (${selected.length}/${MAX_COMPARE})` : ''}
      </button>
      {actions}
      <button className="button small ghost" onClick={clearAll} data-testid="clear">
        Clear
      </button>
      </div>
    </section>
  );
}
