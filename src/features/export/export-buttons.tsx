import { useLeaf } from '../../store/store.ts';
import { downloadText, stamp } from '../../shared/ui/download.ts';
import { exportContext, exportRows } from './export-rows.ts';
import { toCsv } from './to-csv.ts';
import { toJsonExport } from './to-json.ts';

/** "Export CSV" and "Export JSON" of the images currently shown. */
export function ExportButtons() {
  const canExport = useLeaf((s) => s.engine.status === 'ready' && s.images.order.some((id) => s.images.byId[id]!.status === 'scored'));
  const run = (kind: 'csv' | 'json') => {
    const s = useLeaf.getState();
    const ctx = exportContext(s);
    if (!ctx) return;
    const rows = exportRows(s);
    const now = new Date();
    if (kind === 'csv') downloadText(`leaf-scores-${stamp(now)}.csv`, toCsv(rows, ctx), 'text/csv;charset=utf-8');
    else downloadText(`leaf-scores-${stamp(now)}.json`, JSON.stringify(toJsonExport(rows, ctx, now), null, 2), 'application/json');
  };
  return (
    <>
      <button className="button small" disabled={!canExport} onClick={() => run('csv')} data-testid="export-csv">
        Export CSV
      </button>
      <button className="button small" disabled={!canExport} onClick={() => run('json')} data-testid="export-json">
        Export JSON
      </button>
    </>
  );
}
