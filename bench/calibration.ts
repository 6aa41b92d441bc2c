// npm run bench:calibration [-- --repeats 20 --mode fast]
// Few-shot calibration as the browser runs it (same core code), on the validation split of each dataset
// with the shipped student:
//  - 10 random ratings: calibrated RMSE vs the uncalibrated score mapped by a plain linear fit on the same
//    10 ratings, and the SRCC the calibration costs relative to the uncalibrated ranking;
//  - active selection (core/calibration/active.ts) with 10 ratings vs random picking with 10 and 15;
//  - a teacher beside the ratings (the browser's "Teach on my photos"): where the dataset has recorded
//    MLLM judgments, one recorded 7B VLM stands in for the local teacher on the user's images, and the
//    session fit (fitSession, as the worker runs it) with 10 and 30 ratings is measured with and without it.
// Writes bench/results/calibration.{json,md}.
import fs from 'node:fs';
import path from 'node:path';
import { proposeBatch } from '../src/core/calibration/active.ts';
import { fitCalibration, predictCalibrated } from '../src/core/calibration/calibrate.ts';
import { fitSession } from '../src/core/calibration/fit-session.ts';
import type { TeacherLabel } from '../src/core/calibration/teacher-labels.ts';
import { parseRecordedTeacher } from '../src/core/teacher/recorded.ts';
import { mulberry32, permutation } from '../src/core/distill/random.ts';
import { loadStudent } from '../src/core/model/student.ts';
import type { ScoreMode } from '../src/core/model/score-mode.ts';
import { meanSd, rmse } from '../src/core/metrics/evaluate.ts';
import { srcc } from '../src/core/metrics/rank.ts';
import { type DatasetId, hasSharedData, loadDataset, SHARED_DATA } from '../src/node/datasets.ts';
import { extractFeatures } from '../src/node/extract-features.ts';
import { loadBackboneFromDir } from '../src/node/backbone-files.ts';
import { DEFAULT_MODEL_DIR, modelDirReader, REPO_ROOT } from '../src/node/model-dir.ts';
import { initTf } from '../src/node/tf-runtime.ts';

const args = process.argv.slice(2);
const flag = (n: string, d: string) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1]! : d);
const repeats = Number(flag('repeats', '20'));
const mode = flag('mode', 'fast') as ScoreMode;
const USER_SET = 300; // images a user has loaded in one session, drawn from the validation split
const TEACHER = flag('teacher', 'qwen2-vl-7b-instruct'); // a recorded VLM a user could run locally
const TEACHER_RATINGS = [10, 30];

if (!hasSharedData()) {
  console.error(`bench:calibration needs the datasets in ${SHARED_DATA}`);
  process.exit(2);
}
await initTf();
const student = await loadStudent(modelDirReader(DEFAULT_MODEL_DIR));
const backbone = await loadBackboneFromDir(DEFAULT_MODEL_DIR);

interface Item {
  id: string;
  score: number;
  z: Float64Array;
  mos: number;
}

function olsLine(train: Item[]): (s: number) => number {
  const ms = train.reduce((a, t) => a + t.score, 0) / train.length;
  const my = train.reduce((a, t) => a + t.mos, 0) / train.length;
  let sxy = 0;
  let sxx = 0;
  for (const t of train) (sxy += (t.score - ms) * (t.mos - my)), (sxx += (t.score - ms) ** 2);
  const b = sxx > 0 ? sxy / sxx : 0;
  return (s) => my + b * (s - ms);
}

const CAL_OPTS = process.env.CAL_MIN_RESIDUAL ? { minResidualLabels: Number(process.env.CAL_MIN_RESIDUAL) } : {};

function measure(train: Item[], test: Item[]) {
  const cal = fitCalibration(train, CAL_OPTS);
  const pred = test.map((t) => predictCalibrated(cal, t.score, t.z));
  const line = olsLine(train);
  const mos = test.map((t) => t.mos);
  return {
    calibratedRmse: rmse(pred, mos),
    linearRmse: rmse(test.map((t) => line(t.score)), mos),
    calibratedSrcc: srcc(pred, mos),
    uncalibratedSrcc: srcc(test.map((t) => t.score), mos),
  };
}

const rows: string[] = [];
const teacherRows: string[] = [];
const fm = (m: { mean: number; sd: number }) => `${m.mean.toFixed(4)} ± ${m.sd.toFixed(4)}`;
const out: Record<string, unknown> = {};
for (const id of ['biq2021', 'agiqa3k'] as DatasetId[]) {
  const val = loadDataset(id).filter((i) => i.split === 'val');
  const { store } = await extractFeatures({ backbone, images: val, resize: student.manifest.input.modes[mode], storeBase: path.join('.cache', 'features', `${id}-${mode}`) });
  const table = store.read();
  const rowOf = new Map(table.names.map((n, i) => [n, i]));
  const items: Item[] = val
    .filter((i) => rowOf.has(i.name))
    .map((i) => {
      const f = table.data.subarray(rowOf.get(i.name)! * table.dims, (rowOf.get(i.name)! + 1) * table.dims);
      return { id: i.name, score: student.scoreFeatures(f, mode).score, z: student.standardise(f, mode), mos: i.mos };
    });
  const teacherFile = path.join(SHARED_DATA, id, 'teacher', `${TEACHER}.json`);
  const teacherOf = fs.existsSync(teacherFile)
    ? new Map(parseRecordedTeacher(TEACHER, JSON.parse(fs.readFileSync(teacherFile, 'utf8'))).judgments.map((j) => [j.image, j]))
    : null;
  const range = { min: Math.min(...items.map((x) => x.mos)), max: Math.max(...items.map((x) => x.mos)) };
  const withTeacher = new Map(TEACHER_RATINGS.map((k) => [k, { alone: [] as number[][], taught: [] as number[][], used: [] as number[], ms: [] as number[] }]));
  const r10: ReturnType<typeof measure>[] = [];
  const active10: number[] = [];
  const random15: number[] = [];
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const rand = mulberry32(500 + r);
    const userSet = permutation(items.length, rand).slice(0, USER_SET).map((i) => items[i]!);
    const order = permutation(userSet.length, rand);
    const pick = (n: number) => order.slice(0, n).map((i) => userSet[i]!);
    const rest = (chosen: Item[]) => userSet.filter((x) => !chosen.includes(x));
    const random10 = pick(10);
    r10.push(measure(random10, rest(random10)));
    const r15 = pick(15);
    random15.push(measure(r15, rest(r15)).calibratedRmse);
    const ids = new Set(proposeBatch(userSet.map((x) => ({ id: x.id, score: x.score })), 10));
    const act = userSet.filter((x) => ids.has(x.id));
    active10.push(measure(act, rest(act)).calibratedRmse);
    if (teacherOf) {
      const labels: TeacherLabel[] = userSet.flatMap((x) => {
        const j = teacherOf.get(x.id);
        return j ? [{ imageId: x.id, score: j.score, reliability: j.reliability }] : [];
      });
      for (const k of TEACHER_RATINGS) {
        const rated = pick(k);
        const ratings = rated.map((x) => ({ imageId: x.id, rater: 'user', value: x.mos }));
        const unrated = rest(rated);
        const on = (values: Record<string, number>) => {
          const pred = unrated.map((x) => values[x.id]!);
          const mos = unrated.map((x) => x.mos);
          return [rmse(pred, mos), srcc(pred, mos)];
        };
        const w = withTeacher.get(k)!;
        w.alone.push(on(fitSession({ items: userSet, ratings, range }).values));
        const t0 = performance.now();
        const taught = fitSession({ items: userSet, ratings, range, teacher: labels });
        w.ms.push(performance.now() - t0);
        w.taught.push(on(taught.values));
        w.used.push(taught.teacher?.used ? 1 : 0);
      }
    }
    const t = performance.now();
    fitCalibration(pick(50));
    times.push(performance.now() - t);
  }
  const f = (v: number[]) => meanSd(v);
  const res = {
    ratings10: {
      calibratedRmse: f(r10.map((x) => x.calibratedRmse)),
      linearFitRmse: f(r10.map((x) => x.linearRmse)),
      srccLoss: f(r10.map((x) => x.uncalibratedSrcc - x.calibratedSrcc)),
    },
    activeVsRandom: { active10Rmse: f(active10), random10Rmse: f(r10.map((x) => x.calibratedRmse)), random15Rmse: f(random15) },
    calibrate50RatingsMs: { median: times.sort((a, b) => a - b)[Math.floor(times.length / 2)] },
  };
  const teacherRes = teacherOf
    ? Object.fromEntries(
        [...withTeacher].map(([k, w]) => [
          k,
          {
            aloneRmse: f(w.alone.map((x) => x[0]!)),
            aloneSrcc: f(w.alone.map((x) => x[1]!)),
            taughtRmse: f(w.taught.map((x) => x[0]!)),
            taughtSrcc: f(w.taught.map((x) => x[1]!)),
            usedShare: w.used.reduce((a, b) => a + b, 0) / w.used.length,
            fitMsMedian: w.ms.sort((a, b) => a - b)[Math.floor(w.ms.length / 2)]!,
          },
        ]),
      )
    : null;
  out[id] = { ...res, teacher: teacherRes };
  if (teacherRes) {
    for (const [k, t] of Object.entries(teacherRes)) {
      teacherRows.push(`| ${id} | ${k} | ${fm(t.aloneSrcc)} | ${fm(t.taughtSrcc)} | ${fm(t.aloneRmse)} | ${fm(t.taughtRmse)} | ${Math.round(100 * t.usedShare)}% | ${t.fitMsMedian.toFixed(0)} |`);
    }
  }
  rows.push(
    `| ${id} | ${fm(res.ratings10.calibratedRmse)} | ${fm(res.ratings10.linearFitRmse)} | ${fm(res.ratings10.srccLoss)} | ${fm(res.activeVsRandom.active10Rmse)} | ${fm(res.activeVsRandom.random15Rmse)} | ${res.calibrate50RatingsMs.median!.toFixed(1)} |`,
  );
}
const md = [
  '# bench:calibration',
  '',
  `Shipped student (${student.manifest.name} ${student.manifest.version}, ${mode}); ${repeats} repeats; each repeat a user set of ${USER_SET} validation images; RMSE on the user's unrated images, in MOS units.`,
  '',
  '| dataset | RMSE, 10 ratings, calibrated | RMSE, 10 ratings, linear fit | SRCC lost by calibrating (10) | RMSE, 10 active | RMSE, 15 random | fitCalibration() on 50 ratings, ms (Node) |',
  '|---|---|---|---|---|---|---|',
  ...rows,
  '',
  `## A teacher beside the ratings (recorded ${TEACHER} standing in for the local teacher on the user's ${USER_SET} images)`,
  '',
  "Session fit as the worker runs it (fitSession): ratings alone vs ratings + the teacher's judgments of the user's images; figures on the user's unrated images.",
  '',
  '| dataset | ratings | SRCC, ratings alone | SRCC, with teacher | RMSE, ratings alone | RMSE, with teacher | fits that used the teacher | fit with teacher, ms (Node, median) |',
  '|---|---:|---|---|---|---|---:|---:|',
  ...(teacherRows.length ? teacherRows : ['| (no dataset with recorded teacher judgments) |||||||']),
];
fs.mkdirSync(path.join(REPO_ROOT, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(REPO_ROOT, 'bench', 'results', 'calibration.json'), JSON.stringify({ date: new Date().toISOString(), model: student.manifest.version, mode, repeats, results: out }, null, 2));
fs.writeFileSync(path.join(REPO_ROOT, 'bench', 'results', 'calibration.md'), md.join('\n') + '\n');
console.log(md.join('\n'));
student.dispose();
backbone.dispose();
