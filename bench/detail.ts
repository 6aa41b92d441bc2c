// npm run bench:detail [-- --model DIR] [--patch-choices]
// Can the student see damage that only shows at full resolution? See src/node/bench/detail-bench.ts.
// Prints a table and writes bench/results/detail.{json,md}. --patch-choices adds the ablation of which 1:1
// patches the Detail view looks at (src/node/bench/patch-choice.ts; ~3 min more).
import fs from 'node:fs';
import path from 'node:path';
import { runDetailBench } from '../src/node/bench/detail-bench.ts';
import { runPatchChoiceAblation } from '../src/node/bench/patch-choice.ts';
import { HIRES_DIR, hiresPhotosPresent } from '../src/node/hires-photos.ts';
import { DEFAULT_MODEL_DIR, REPO_ROOT } from '../src/node/model-dir.ts';
import { initTf } from '../src/node/tf-runtime.ts';

const args = process.argv.slice(2);
const modelDir = args.includes('--model') ? path.resolve(args[args.indexOf('--model') + 1]!) : DEFAULT_MODEL_DIR;
if (!hiresPhotosPresent()) {
  console.error(`bench:detail needs the photos in ${HIRES_DIR}: run npm run photos`);
  process.exit(2);
}
await initTf();
const label = path.relative(REPO_ROOT, modelDir) || modelDir;
const log = (s: string) => process.stderr.write(`${s}\n`);
const result = await runDetailBench(modelDir, label, log);
const choices = args.includes('--patch-choices') ? await runPatchChoiceAblation(modelDir, log) : [];
const md = ['# bench:detail', '', ...result.markdown, ...choices];
const outDir = path.join(REPO_ROOT, 'bench', 'results');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'detail.json'), JSON.stringify({ date: new Date().toISOString(), model: label, rows: result.rows }, null, 2));
fs.writeFileSync(path.join(outDir, 'detail.md'), md.join('\n'));
console.log(md.join('\n'));
