// npm run bench:detail [-- --model DIR]
// Can the student see damage that only shows at full resolution? Ten real photos (6-20 MP, Debian's lomiri
// wallpapers; scripts/fetch-photos.sh) against their own copies with a 1.5 px blur and with light sensor
// noise at full size. Scored in Quick (224 px), Detail without patches (512 px global view only) and
// Detail (global + 1:1 patches). Prints a table and writes bench/results/detail.{json,md}.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_DETAIL, type ScoreMode } from '../src/core/model/preprocess.ts';
import { loadStudent, type ReadModelFile } from '../src/core/model/student.ts';
import { decodeImageFile } from '../src/node/decode-image.ts';
import { HIRES_DIR, HIRES_PHOTOS, hiresPhotosPresent, hiresVariants, MILD_BLUR_SIGMA, MILD_NOISE, type Variant } from '../src/node/hires-photos.ts';
import { DEFAULT_MODEL_DIR, modelDirReader, REPO_ROOT } from '../src/node/model-dir.ts';
import { initTf } from '../src/node/tf-runtime.ts';

const args = process.argv.slice(2);
const modelDir = args.includes('--model') ? path.resolve(args[args.indexOf('--model') + 1]!) : DEFAULT_MODEL_DIR;
if (!hiresPhotosPresent()) {
  console.error(`bench:detail needs the photos in ${HIRES_DIR}: run scripts/fetch-photos.sh`);
  process.exit(2);
}

/** The model as shipped, but with the accurate mode's detail spec replaced (to compare with and without). */
function withDetail(read: ReadModelFile, detail: typeof DEFAULT_DETAIL | null): ReadModelFile {
  return async (name) => {
    if (name !== 'manifest.json') return read(name);
    const m = JSON.parse(new TextDecoder().decode(await read(name)));
    if (detail) m.input.modes.accurate.detail = m.input.modes.accurate.detail ?? detail;
    else delete m.input.modes.accurate.detail;
    return new TextEncoder().encode(JSON.stringify(m)).buffer as ArrayBuffer;
  };
}

await initTf();
const read = modelDirReader(modelDir);
const plain = await loadStudent(withDetail(read, null));
const detailed = await loadStudent(withDetail(read, DEFAULT_DETAIL));
const SETTINGS: { name: string; student: typeof plain; mode: ScoreMode }[] = [
  { name: 'Quick (224 px)', student: plain, mode: 'fast' },
  { name: 'global 512 px only', student: plain, mode: 'accurate' },
  { name: 'Detail (512 px + 1:1 patches)', student: detailed, mode: 'accurate' },
];

type Row = { photo: string; megapixels: number; scores: Record<string, Record<Variant, number>>; patches: number; ms: Record<string, number> };
const rows: Row[] = [];
for (const photo of HIRES_PHOTOS) {
  const variants = await hiresVariants(path.join(HIRES_DIR, photo));
  const row: Row = { photo, megapixels: 0, scores: {}, patches: 0, ms: {} };
  for (const v of ['original', 'blur', 'noise'] as const) {
    const px = await decodeImageFile(variants[v], `${photo} ${v}`);
    const meta = await (await import('sharp')).default(variants[v]).metadata();
    row.megapixels = ((meta.width ?? 0) * (meta.height ?? 0)) / 1e6;
    for (const s of SETTINGS) {
      const t = performance.now();
      const f = await s.student.features(px, s.mode);
      row.ms[s.name] = (row.ms[s.name] ?? 0) + (performance.now() - t) / 3;
      (row.scores[s.name] ??= {} as Record<Variant, number>)[v] = s.student.scoreFeatures(f.features, s.mode).score;
      if (s.student === detailed) row.patches = f.patches.length;
    }
  }
  rows.push(row);
  process.stderr.write(`${photo}: ${SETTINGS.map((s) => `${s.name} ${(['original', 'blur', 'noise'] as const).map((v) => row.scores[s.name]![v].toFixed(3)).join('/')}`).join('; ')}\n`);
}

const wins = (name: string, v: 'blur' | 'noise') => rows.filter((r) => r.scores[name]!.original > r.scores[name]![v]).length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const md = [
  '# bench:detail',
  '',
  `Model ${path.relative(REPO_ROOT, modelDir) || modelDir}. ${rows.length} real photos (${rows.filter((r) => r.megapixels >= 12).length} of them 12 MP or more), each against its copy with a ${MILD_BLUR_SIGMA} px gaussian blur and with light sensor noise (gain ${MILD_NOISE.gain}, read ${MILD_NOISE.read}) at full size; all three JPEG q95, decoded to at most 4096 px.`,
  '',
  '| setting | original > blurred copy | original > noisy copy | mean score drop, blur | mean score drop, noise | median ms per image |',
  '|---|---|---|---|---|---|',
  ...SETTINGS.map((s) => {
    const drop = (v: 'blur' | 'noise') => rows.reduce((a, r) => a + r.scores[s.name]!.original - r.scores[s.name]![v], 0) / rows.length;
    return `| ${s.name} | ${wins(s.name, 'blur')} / ${rows.length} | ${wins(s.name, 'noise')} / ${rows.length} | ${drop('blur').toFixed(3)} | ${drop('noise').toFixed(3)} | ${median(rows.map((r) => r.ms[s.name]!)).toFixed(0)} |`;
  }),
  '',
  '| photo | MP | Detail: original / blur / noise | global only: original / blur / noise |',
  '|---|---|---|---|',
  ...rows.map((r) => {
    const f = (n: string) => (['original', 'blur', 'noise'] as const).map((v) => r.scores[n]![v].toFixed(3)).join(' / ');
    return `| ${r.photo} | ${r.megapixels.toFixed(1)} | ${f(SETTINGS[2]!.name)} | ${f(SETTINGS[1]!.name)} |`;
  }),
];
const outDir = path.join(REPO_ROOT, 'bench', 'results');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'detail.json'), JSON.stringify({ date: new Date().toISOString(), model: path.relative(REPO_ROOT, modelDir), rows }, null, 2));
fs.writeFileSync(path.join(outDir, 'detail.md'), md.join('\n') + '\n');
console.log(md.join('\n'));
plain.dispose();
detailed.dispose();
