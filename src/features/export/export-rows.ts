// What an export contains: the images currently shown (same filter and order as the grid), with the
// score as displayed plus the raw model score and everything needed to reproduce it. Pure.
import { LEVELS } from '../../core/teacher/types.ts';
import type { Flag } from '../../core/xmp/leaf-sidecar.ts';
import type { ScoreMode } from '../../core/model/score-mode.ts';
import { activeScale, type ScoreScale } from '../../shared/score-scale.ts';
import type { ImageItem } from '../../store/images-slice.ts';
import { decisionOf } from '../../store/culling-selectors.ts';
import { computeVisibleIds, displayScore } from '../../store/selectors.ts';
import type { LeafState } from '../../store/store.ts';
import type { BackendReport, ModelInfo } from '../../worker/protocol.ts';

export interface ExportRow {
  readonly name: string;
  readonly path: string;
  readonly status: ImageItem['status'];
  /** On the active scale (calibrated when a profile is active). */
  readonly score: number | null;
  /** On the model's own scale. */
  readonly modelScore: number | null;
  readonly mode: ScoreMode | null;
  readonly backend: string | null;
  readonly modelVersion: string | null;
  readonly probs: Readonly<Record<(typeof LEVELS)[number], number>> | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly downscaledFrom: ImageItem['downscaledFrom'];
  readonly format: string | null;
  /** 1:1 patches blended into the score (Detail mode on large photos); 0 when seen whole. */
  readonly detailPatches: number | null;
  readonly error: ImageItem['error'];
  /** The culling decision (issue #9): 0-5 stars and pick/reject, null when none. */
  readonly stars: number | null;
  readonly flag: Flag | null;
  /** The local teacher's judgment (Teach on my photos: 1-5 and its reliability), null when it has not judged the image. */
  readonly teacher: { readonly score: number; readonly reliability: number } | null;
}

export interface ExportContext {
  readonly model: ModelInfo;
  readonly backend: BackendReport;
  readonly scale: ScoreScale;
  readonly mode: ScoreMode;
  readonly calibrationProfileId: string | null;
  /** The local teacher whose judgments the rows carry (its id), or null. */
  readonly teacher: string | null;
}

export function exportContext(s: LeafState): ExportContext | null {
  const { model, backend } = s.engine;
  const scale = activeScale(model, s.calibration.displayCurve);
  if (!model || !backend || !scale) return null;
  return { model, backend, scale, mode: s.settings.mode, calibrationProfileId: scale.profileId, teacher: s.teacher.info?.id ?? null };
}

export function exportRows(s: LeafState): ExportRow[] {
  return computeVisibleIds(s).map((id) => {
    const item = s.images.byId[id]!;
    const sc = item.score;
    return {
      name: item.name,
      path: item.path,
      status: item.status,
      score: displayScore(s, item),
      modelScore: sc?.raw ?? null,
      mode: sc?.mode ?? null,
      backend: sc?.backend ?? null,
      modelVersion: sc?.modelVersion ?? null,
      probs: sc ? (Object.fromEntries(LEVELS.map((l, i) => [l, sc.probs[i]!])) as ExportRow['probs']) : null,
      width: item.width,
      height: item.height,
      downscaledFrom: item.downscaledFrom,
      format: item.format,
      detailPatches: sc ? (sc.patches?.length ?? 0) : null,
      error: item.error,
      stars: decisionOf(s, id).stars,
      flag: decisionOf(s, id).flag,
      teacher: (item.contentKey ? s.teacher.judgments[item.contentKey] : undefined) ?? null,
    };
  });
}
