// bench:cli — `leaf eval` as a user runs it, timed from the outside (child processes, TF.js start-up
// included): on N labelled BIQ2021 photos with an empty feature cache, then again with the cache it filled
// (issue #8: a second run on 2,000 photos in under 60 s); and on a smaller set without the cache on one
// thread vs one per core. Prints a Markdown table and writes bench/results/cli.{json,md}.
//
//   npm run bench:cli -- --images 2000 --compare 200 --mode fast
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultThreads } from '../src/node/feature-pool.ts';
import { REPO_ROOT } from '../src/node/model-dir.ts';

const { values: opt } = parseArgs({
  options: {
    images: { type: 'string', default: '2000' },
    compare: { type: 'string', default: '200' },
    mode: { type: 'string', default: 'fast' },
    out: { type: 'string', default: 'bench/results/cli.json' },
  },
});
const BIQ = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'biq2021');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-bench-cli-'));

/** A labels CSV naming the first n photos of BIQ2021's list (the images stay where they are). */
function labelsFor(n: number): string {
  const rows = fs.readFileSync(path.join(BIQ, 'labels.csv'), 'utf8').split(/\r?\n/).filter(Boolean);
  if (rows.length - 1 < n) throw new Error(`BIQ2021 lists ${rows.length - 1} photos, fewer than ${n}`);
  const file = path.join(scratch, `labels-${n}.csv`);
  fs.writeFileSync(file, rows.slice(0, n + 1).join('\n') + '\n');
  return file;
}

function evalRun(n: number, labels: string, args: string[]) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'leaf.mjs'), 'eval', '--images', path.join(BIQ, 'images'), '--labels', labels, '--mode', opt.mode!, ...args], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    maxBuffer: 64 << 20,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`leaf eval failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const out = JSON.parse(r.stdout) as { n: number; uncalibrated: { srcc: number } };
  const line = { photos: n, args: args.join(' '), seconds: Math.round(seconds * 10) / 10, imagesPerSecond: Math.round((n / seconds) * 10) / 10, n: out.n, srcc: out.uncalibrated.srcc };
  console.error(`  ${JSON.stringify(line)}`);
  return line;
}

const N = Number(opt.images);
const M = Number(opt.compare);
const threads = defaultThreads();
const cacheDir = path.join(scratch, 'cache');
console.error(`bench:cli on ${os.cpus().length} cores, mode ${opt.mode}, ${threads} threads by default`);
const small = M > 0 ? labelsFor(M) : '';
const compare = M > 0 ? [evalRun(M, small, ['--no-cache', '--workers', '1']), evalRun(M, small, ['--no-cache', '--workers', String(threads)])] : [];
const labels = labelsFor(N);
const first = evalRun(N, labels, ['--cache-dir', cacheDir]);
const second = evalRun(N, labels, ['--cache-dir', cacheDir]);
fs.rmSync(scratch, { recursive: true, force: true });
if (second.srcc !== first.srcc) throw new Error(`the cached run's SRCC ${second.srcc} differs from the first run's ${first.srcc}`);

const rows = [...compare.map((c) => ({ ...c, what: `${c.photos} photos, no cache` })), { ...first, what: `${N} photos, empty cache` }, { ...second, what: `${N} photos again, from the cache` }];
const md = [
  `## leaf eval, timed from the outside (${os.cpus().length} cores, ${opt.mode} mode, TF.js start-up included)`,
  '',
  '| run | flags | seconds | images/s | SRCC vs MOS |',
  '|---|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.what} | \`${r.args.replace(cacheDir, '<tmp>')}\` | ${r.seconds} | ${r.imagesPerSecond} | ${r.srcc.toFixed(3)} |`),
  '',
  `target: a second eval on ${N} photos in under 60 s: ${second.seconds < 60 ? 'PASS' : 'FAIL'} (${second.seconds} s)`,
].join('\n');
const out = path.resolve(REPO_ROOT, opt.out!);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), cores: os.cpus().length, mode: opt.mode, threads, rows: rows.map((r) => ({ ...r, args: r.args.replace(cacheDir, '<tmp>') })) }, null, 2) + '\n');
fs.writeFileSync(out.replace(/\.json$/, '.md'), md + '\n');
console.log(md);
