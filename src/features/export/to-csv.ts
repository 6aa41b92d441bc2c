// CSV (RFC 4180: comma separated, CRLF rows, fields quoted when they hold a comma, quote or line break).
// One row per scored image; names are written exactly as dropped.
import { type CsvValue, formatCsv } from '../../core/data/csv.ts';
import { LEVELS } from '../../core/teacher/types.ts';
import type { ExportContext, ExportRow } from './export-rows.ts';

export const CSV_COLUMNS = ['name', 'score', 'scale', 'model_score', 'mode', 'backend', 'model_version', 'path', 'width', 'height', ...LEVELS.map((l) => `p_${l}`), 'detail_patches', 'stars', 'flag'] as const;

/** Appended when a local teacher (Teach on my photos) has judged any exported image; empty where it has not. */
export const TEACHER_CSV_COLUMNS = ['teacher_score', 'teacher_reliability'] as const;

export function toCsv(rows: readonly ExportRow[], ctx: ExportContext): string {
  const scaleLabel = `${ctx.scale.name} ${ctx.scale.min}-${ctx.scale.max}`;
  const scored = rows.filter((r) => r.status === 'scored' && r.score !== null);
  const withTeacher = scored.some((r) => r.teacher !== null);
  const lines: CsvValue[][] = scored.map((r) => [
    r.name,
    r.score,
    scaleLabel,
    r.modelScore,
    r.mode,
    r.backend,
    r.modelVersion,
    r.path,
    r.width,
    r.height,
    ...LEVELS.map((l) => r.probs?.[l] ?? null),
    r.detailPatches,
    r.stars,
    r.flag,
    ...(withTeacher ? [r.teacher?.score ?? null, r.teacher?.reliability ?? null] : []),
  ]);
  return formatCsv(withTeacher ? [...CSV_COLUMNS, ...TEACHER_CSV_COLUMNS] : CSV_COLUMNS, lines);
}
