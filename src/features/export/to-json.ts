// The full export: model name and version, backend, mode, scale and calibration profile, and every shown
// image (failures included, with their error) with scores and level probabilities.
import type { ExportContext, ExportRow } from './export-rows.ts';

export const EXPORT_FORMAT = 'leaf-scores';
export const EXPORT_FORMAT_VERSION = 1;

export function toJsonExport(rows: readonly ExportRow[], ctx: ExportContext, exportedAt: Date) {
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt: exportedAt.toISOString(),
    model: { name: ctx.model.name, version: ctx.model.version, output: ctx.model.output },
    backend: { name: ctx.backend.backend, detail: ctx.backend.detail, reason: ctx.backend.reason },
    mode: ctx.mode,
    scale: { name: ctx.scale.name, min: ctx.scale.min, max: ctx.scale.max },
    calibrationProfileId: ctx.calibrationProfileId,
    /** The local teacher whose judgments rows carry as `teacher`, or null. */
    teacher: ctx.teacher,
    counts: {
      images: rows.length,
      scored: rows.filter((r) => r.status === 'scored').length,
      failed: rows.filter((r) => r.status === 'failed').length,
    },
    images: rows,
  };
}

export type JsonExport = ReturnType<typeof toJsonExport>;
