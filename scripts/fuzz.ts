// `npm run fuzz`: builds the fuzz corpus (.cache/fuzz) from ../shared/data, runs `leaf score` over it and
// prints the counts by category; also prints the app's counts from the last e2e run (e2e/fuzz.spec.ts).
// Exit status 1 when any file did not end as the corpus says it must.
import fs from 'node:fs';
import path from 'node:path';
import { hasSharedData } from '../src/node/datasets.ts';
import { ensureCorpus } from '../src/node/fuzz/corpus.ts';
import { formatTally, judge, tally } from '../src/node/fuzz/fuzz-report.ts';
import { FUZZ_RESULTS_DIR } from '../src/node/fuzz/fuzz-results.ts';
import { runCliOnCorpus } from '../src/node/fuzz/run-cli.ts';

if (!hasSharedData()) {
  console.error('fuzz: ../shared/data not found; the corpus is made from its images');
  process.exit(2);
}
const corpus = await ensureCorpus();
console.log(`corpus: ${corpus.entries.length} files in ${path.relative(process.cwd(), corpus.dir)}\n`);
const run = await runCliOnCorpus(corpus.dir, process.argv.slice(2));
const problems = judge(corpus.entries, run.results, 'cli');
const args = process.argv.slice(2).join(' ') || '(default mode: accurate)';
console.log(formatTally(`CLI (leaf score ${args}): ${run.seconds.toFixed(0)} s, peak memory ${run.peakMb} MB, exit ${run.exitCode}`, tally(corpus.entries, run.results)));
for (const p of problems) console.log(`  PROBLEM ${p}`);
const app = path.join(FUZZ_RESULTS_DIR, 'app.json');
if (fs.existsSync(app)) {
  const { report } = JSON.parse(fs.readFileSync(app, 'utf8')) as { report: string };
  console.log(`\n${report}\n(from the last e2e run, ${fs.statSync(app).mtime.toISOString()})`);
} else console.log('\napp: no results yet (npx playwright test e2e/fuzz.spec.ts)');
process.exitCode = problems.length || run.exitCode !== 0 ? 1 : 0;
