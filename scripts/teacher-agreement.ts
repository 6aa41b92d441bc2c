// npx tsx scripts/teacher-agreement.ts — SRCC against MOS of each recorded AGIQA-3K teacher and of the
// label-free ensembles (equal weights vs agreement weights), on all images with labels.
import fs from 'node:fs';
import path from 'node:path';
import { parseLabels } from '../src/core/data/csv.ts';
import { srcc } from '../src/core/metrics/rank.ts';
import { ensembleTeachers } from '../src/core/teacher/ensemble.ts';
import { parseRecordedTeacher } from '../src/core/teacher/recorded.ts';
import type { PointJudgment } from '../src/core/teacher/types.ts';
import { SHARED_DATA } from '../src/node/datasets.ts';

const dir = path.join(SHARED_DATA, 'agiqa3k');
const mos = new Map(parseLabels(fs.readFileSync(path.join(dir, 'labels.csv'), 'utf8'), 'mos_quality').labels.map((l) => [l.name, l.mos]));
const teachers = new Map<string, PointJudgment[]>();
for (const f of fs.readdirSync(path.join(dir, 'teacher')).filter((x) => x.endsWith('.json')).sort()) {
  const id = f.replace(/\.json$/, '');
  teachers.set(id, parseRecordedTeacher(id, JSON.parse(fs.readFileSync(path.join(dir, 'teacher', f), 'utf8'))).judgments);
}
const score = (js: readonly PointJudgment[]) => {
  const known = js.filter((j) => mos.has(j.image));
  return srcc(known.map((j) => j.score), known.map((j) => mos.get(j.image)!));
};
console.log('| teacher | weight | SRCC vs MOS |\n|---|---|---|');
const snr = ensembleTeachers(teachers, { weighting: 'snr' });
for (const [id, js] of teachers) console.log(`| ${id} | ${snr.teachers.find((t) => t.id === id)!.weight.toFixed(3)} | ${score(js).toFixed(4)} |`);
console.log(`| ensemble, equal weights | | ${score(ensembleTeachers(teachers, { weighting: 'equal' }).judgments).toFixed(4)} |`);
console.log(`| ensemble, agreement weights (default) | | ${score(snr.judgments).toFixed(4)} |`);
