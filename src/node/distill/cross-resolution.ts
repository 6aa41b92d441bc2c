// Cross-resolution distillation: photos no MLLM has judged get point-wise targets for the Quick (224 px)
// head from the Detail head's own 512 px judgment of them. The 512 px view ranks photos much better
// (see below), and the Quick head learns to read that judgment
// from what survives at 224 px. No MOS is involved: the teacher is the student's other head.
// bench:accuracy (Student v2, label-free BIQ2021 validation SRCC): Detail 0.618; Quick 0.558 with these
// targets, 0.522 without.
import type { PointTarget } from '../../core/distill/train-head.ts';
import { applyHead, type LinearHead, probsAround } from '../../core/model/head.ts';
import type { ScoreMode } from '../../core/model/score-mode.ts';
import { rowKey, type DatasetInput, type TrainingSet } from './training-set.ts';

/** Modes in training order: the Detail head first, since it teaches the Quick head. */
export function detailFirst(modes: readonly ScoreMode[]): ScoreMode[] {
  return [...modes].sort((a, b) => Number(b === 'accurate') - Number(a === 'accurate'));
}

export function crossResolutionPoints(
  datasets: readonly DatasetInput[],
  teacher: { readonly head: LinearHead; readonly set: TrainingSet },
  student: TrainingSet,
  weight: number,
): PointTarget[] {
  if (weight <= 0) return [];
  const out: PointTarget[] = [];
  for (const ds of datasets) {
    if (ds.teacherKind === 'mllm') continue; // an MLLM's judgment is the better teacher where there is one
    for (const name of ds.trainNames) {
      const key = rowKey(ds.id, name);
      const t = teacher.set.rowOf.get(key);
      const s = student.rowOf.get(key);
      if (t === undefined || s === undefined) continue;
      const score = applyHead(teacher.head, teacher.set.features.subarray(t * teacher.set.dims, (t + 1) * teacher.set.dims)).score;
      out.push({ row: s, probs: probsAround(score), score, weight });
    }
  }
  return out;
}
