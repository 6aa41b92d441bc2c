// CSV (RFC 4180: comma separated, CRLF rows, fields quoted when they hold a comma, quote or line break).
// One row per scored image; names are written exactly as dropped.
import { LEVELS } from '../../core/teacher/types.ts';
import type { ExportContext, ExportRow } from './export-rows.ts';

export const CSV_COLUMNS = ['name', 'score', 'scale', 'model_score', 'mode', 'backend', 'model_version', 'path', 'width', 'height', ...LEVELS.map((l) => `p_${l}`), 'detail_patches'] as const;

export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? (Number.isFinite(value) ? String(Number(value.toFixed(6))) : '') : value;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(rows: readonly ExportRow[], ctx: ExportContext): string {
  const scaleLabel = `${ctx.scale.name} ${ctx.scale.min}-${ctx.scale.max}`;
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    if (r.status !== 'scored' || r.score === null) continue;
    const fields = [r.name, r.score, scaleLabel, r.modelScore, r.mode, r.backend, r.modelVersion, r.path, r.width, r.height, ...LEVELS.map((l) => r.probs?.[l] ?? null), r.detailPatches];
    lines.push(fields.map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
