// Imported teacher judgments on disk: one JSON file per teacher under <cache>/recorded/, holding the
// parsed PointJudgments, so distillation reads one format whatever the teacher's original one was.
import fs from 'node:fs';
import path from 'node:path';
import type { PointJudgment } from '../../core/teacher/types.ts';

export const RECORDED_SUBDIR = 'recorded';

export interface StoredTeacher {
  readonly teacher: string;
  readonly source: string;
  readonly dataset?: string;
  readonly judgments: PointJudgment[];
}

export function saveRecordedTeacher(cacheDir: string, t: StoredTeacher): string {
  const dir = path.join(cacheDir, RECORDED_SUBDIR);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${t.dataset ? `${t.dataset}--` : ''}${t.teacher}.json`);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(t));
  fs.renameSync(tmp, file); // atomic: a crash never leaves a half-written teacher file
  return file;
}

export function loadRecordedTeachers(cacheDir: string, dataset?: string): StoredTeacher[] {
  const dir = path.join(cacheDir, RECORDED_SUBDIR);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as StoredTeacher)
    .filter((t) => dataset === undefined || t.dataset === dataset);
}
