// Computes the classical teachers (BRISQUE on OpenCV's LIVE model, NIQE on our pristine fit) for the shared
// datasets into the resumable caches (.cache/classical/<teacher>.jsonl), then prints the SRCC of each, and of
// their z-score average, against MOS. MOS is used here only to report, never to build the judgments.
// Usage: npx tsx scripts/classical-scores.ts [DATA_DIR]   (default ../shared/data; progress on stderr)

import fs from 'node:fs';
import path from 'node:path';

import { srcc } from '../src/core/metrics/rank.ts';
import { classicalRawScores, judgmentsFromRawScores, robustZ } from '../src/node/classical/classical-teacher.ts';
import { progressReporter } from '../src/node/progress.ts';

interface Dataset {
  readonly name: string;
  readonly mosColumn: string;
}

const DATASETS: readonly Dataset[] = [
  { name: 'biq2021', mosColumn: 'mos' },
  { name: 'agiqa3k', mosColumn: 'mos_quality' },
];

/** Splits one CSV line, honouring double quotes (AGIQA prompts contain commas). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(cur), (cur = '');
    else cur += c;
  }
  out.push(cur);
  return out;
}

function readLabels(file: string, column: string): Map<string, number> {
  const [header, ...rows] = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const cols = splitCsvLine(header!);
  const ni = cols.indexOf('name');
  const mi = cols.indexOf(column);
  if (ni < 0 || mi < 0) throw new Error(`${file}: needs columns name and ${column}`);
  const labels = new Map<string, number>();
  for (const row of rows) {
    const f = splitCsvLine(row);
    labels.set(f[ni]!, Number(f[mi]));
  }
  return labels;
}

async function main(): Promise<void> {
  const dataDir = process.argv[2] ?? path.resolve('../shared/data');
  const report: string[] = [];
  for (const ds of DATASETS) {
    const root = path.join(dataDir, ds.name);
    if (!fs.existsSync(root)) {
      process.stderr.write(`skipping ${ds.name}: ${root} not found\n`);
      continue;
    }
    const labels = readLabels(path.join(root, 'labels.csv'), ds.mosColumn);
    const names = [...labels.keys()].filter((n) => fs.existsSync(path.join(root, 'images', n))).sort();
    const files = names.map((n) => path.join(root, 'images', n));
    const t0 = Date.now();
    const raw = await classicalRawScores(files, { onProgress: progressReporter(ds.name) });
    const seconds = (Date.now() - t0) / 1000;
    const mos = names.map((n) => labels.get(n)!);
    const b = raw['brisque-live'];
    const n = raw['niqe-pristine'];
    const ok = names.map((_, i) => Number.isFinite(b[i]!.raw) && Number.isFinite(n[i]!.raw));
    const pick = <T>(v: readonly T[]) => v.filter((_, i) => ok[i]);
    const zb = robustZ(b.map((s) => s.raw));
    const zn = robustZ(n.map((s) => s.raw));
    const avg = zb.map((z, i) => (z + zn[i]!) / 2);
    const jb = judgmentsFromRawScores('brisque-live', b, { partner: n });
    const meanRel = jb.reduce((a, j) => a + j.reliability, 0) / jb.length;
    const m = pick(mos);
    report.push(
      `${ds.name} (${m.length}/${names.length} images, ${seconds.toFixed(0)} s this run): ` +
        `SRCC vs ${ds.mosColumn}: -BRISQUE ${srcc(pick(b.map((s) => -s.raw)), m).toFixed(4)}, ` +
        `-NIQE ${srcc(pick(n.map((s) => -s.raw)), m).toFixed(4)}, ` +
        `z-average ${srcc(pick(avg), m).toFixed(4)}; ` +
        `BRISQUE vs NIQE ${srcc(pick(b.map((s) => s.raw)), pick(n.map((s) => s.raw))).toFixed(4)}; ` +
        `judgment score SRCC (brisque-live) ${srcc(pick(jb.map((j) => j.score)), m).toFixed(4)}, mean reliability ${meanRel.toFixed(3)}`,
    );
  }
  process.stdout.write(`${report.join('\n')}\n`);
}

await main();
