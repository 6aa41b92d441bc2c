// The high-resolution detail check shared by bench:detail and bench:accuracy: ten real photos (6-20 MP,
// Debian's lomiri wallpapers; scripts/fetch-photos.sh) against their own copies with a 1.5 px blur and
// with light sensor noise at full size, scored in Quick (224 px), the 512 px global view alone, and Detail
// (global + 1:1 patches).
import path from 'node:path';
import sharp from 'sharp';
import { DEFAULT_DETAIL } from '../../core/model/preprocess.ts';
import type { ScoreMode } from '../../core/model/score-mode.ts';
import { loadStudent, type ReadModelFile, type Student } from '../../core/model/student.ts';
import { decodeImageFile } from '../decode-image.ts';
import { HIRES_DIR, HIRES_PHOTOS, hiresVariants, MILD_BLUR_SIGMA, MILD_NOISE, type Variant } from '../hires-photos.ts';
import { modelDirReader } from '../model-dir.ts';

/** The model as stored, but with the accurate mode's detail spec replaced (to compare with and without). */
export const withoutDetail = (read: ReadModelFile): ReadModelFile => withDetail(read, null);

function withDetail(read: ReadModelFile, detail: typeof DEFAULT_DETAIL | null): ReadModelFile {
  return async (name) => {
    if (name !== 'manifest.json') return read(name);
    const m = JSON.parse(new TextDecoder().decode(await read(name)));
    if (detail) m.input.modes.accurate.detail = m.input.modes.accurate.detail ?? detail;
    else delete m.input.modes.accurate.detail;
    return new TextEncoder().encode(JSON.stringify(m)).buffer as ArrayBuffer;
  };
}

export interface DetailRow {
  readonly photo: string;
  megapixels: number;
  readonly scores: Record<string, Record<Variant, number>>;
  patches: number;
  /** The Detail view's unseen-noise measure of each variant (luma levels of 255). */
  readonly unseenNoise: Partial<Record<Variant, number>>;
  readonly ms: Record<string, number>;
}

export interface DetailBench {
  readonly rows: DetailRow[];
  readonly settings: string[];
  readonly markdown: string[];
}

export async function runDetailBench(modelDir: string, label: string, log: (s: string) => void = () => {}): Promise<DetailBench> {
  const read = modelDirReader(modelDir);
  const plain = await loadStudent(withoutDetail(read));
  const detailed = await loadStudent(withDetail(read, DEFAULT_DETAIL));
  const settings: { name: string; student: Student; mode: ScoreMode }[] = [
    { name: 'Quick (224 px)', student: plain, mode: 'fast' },
    { name: 'global 512 px only', student: plain, mode: 'accurate' },
    { name: 'Detail (512 px + 1:1 patches)', student: detailed, mode: 'accurate' },
  ];
  // The ablation of the pixel measures: the same Detail features with the measures set to 0.
  const measureCount = detailed.manifest.features.measures?.length ?? 0;
  const WITHOUT_MEASURES = 'Detail without the unseen-noise measure';
  const rows: DetailRow[] = [];
  try {
    for (const photo of HIRES_PHOTOS) {
      const variants = await hiresVariants(path.join(HIRES_DIR, photo));
      const meta = await sharp(variants.original).metadata();
      const row: DetailRow = { photo, megapixels: ((meta.width ?? 0) * (meta.height ?? 0)) / 1e6, scores: {}, patches: 0, unseenNoise: {}, ms: {} };
      for (const v of ['original', 'blur', 'noise'] as const) {
        const px = await decodeImageFile(variants[v], `${photo} ${v}`);
        for (const s of settings) {
          const t = performance.now();
          const f = await s.student.features(px, s.mode);
          row.ms[s.name] = (row.ms[s.name] ?? 0) + (performance.now() - t) / 3;
          (row.scores[s.name] ??= {} as Record<Variant, number>)[v] = s.student.scoreFeatures(f.features, s.mode).score;
          if (s.student === detailed) [row.patches, row.unseenNoise[v]] = [f.patches.length, f.unseenNoise];
          if (s.student === detailed && measureCount > 0) {
            const without = f.features.slice();
            without.fill(0, without.length - measureCount);
            (row.scores[WITHOUT_MEASURES] ??= {} as Record<Variant, number>)[v] = s.student.scoreFeatures(without, s.mode).score;
          }
        }
      }
      rows.push(row);
      log(`detail ${label} ${photo}: ${settings.map((s) => `${s.name} ${(['original', 'blur', 'noise'] as const).map((v) => row.scores[s.name]![v].toFixed(3)).join('/')}`).join('; ')}`);
    }
  } finally {
    plain.dispose();
    detailed.dispose();
  }
  const names = [...settings.map((s) => s.name), ...(measureCount > 0 ? [WITHOUT_MEASURES] : [])];
  const wins = (name: string, v: 'blur' | 'noise') => rows.filter((r) => r.scores[name]!.original > r.scores[name]![v]).length;
  const drop = (name: string, v: 'blur' | 'noise') => rows.reduce((a, r) => a + r.scores[name]!.original - r.scores[name]![v], 0) / rows.length;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const f = (r: DetailRow, n: string) => (['original', 'blur', 'noise'] as const).map((v) => r.scores[n]![v].toFixed(3)).join(' / ');
  const markdown = [
    `### High-resolution detail: ${label}`,
    '',
    `${rows.length} real photos (${rows.filter((r) => r.megapixels >= 12).length} of them 12 MP or more), each against its copy with a ${MILD_BLUR_SIGMA} px gaussian blur and with light sensor noise (gain ${MILD_NOISE.gain}, read ${MILD_NOISE.read}) at full size; all three JPEG q95, decoded to at most 4096 px.`,
    '',
    '| setting | original > blurred copy | original > noisy copy | mean score drop, blur | mean score drop, noise | median ms per image |',
    '|---|---|---|---|---|---|',
    ...names.map((n) => `| ${n} | ${wins(n, 'blur')} / ${rows.length} | ${wins(n, 'noise')} / ${rows.length} | ${drop(n, 'blur').toFixed(3)} | ${drop(n, 'noise').toFixed(3)} | ${n === WITHOUT_MEASURES ? '(same features)' : median(rows.map((r) => r.ms[n]!)).toFixed(0)} |`),
    '',
    '| photo | MP | Detail: original / blur / noise | global only: original / blur / noise | unseen noise (levels of 255): original / blur / noise |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.photo} | ${r.megapixels.toFixed(1)} | ${f(r, names[2]!)} | ${f(r, names[1]!)} | ${(['original', 'blur', 'noise'] as const).map((v) => (r.unseenNoise[v] ?? 0).toFixed(2)).join(' / ')} |`),
    '',
  ];
  return { rows, settings: names, markdown };
}
