// `leaf eval --images DIR --labels CSV [--mos-column NAME] [--calibrate K] [--repeats R] [--seed S] --json`
// Prints ONE JSON object on stdout (external checks parse it: keep the shape stable).
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { evaluateLabelBudget } from '../../core/calibration/label-budget.ts';
import { parseLabels } from '../../core/data/csv.ts';
import { SCORE_MODES, type ScoreMode } from '../../core/model/score-mode.ts';
import { correlations } from '../../core/metrics/evaluate.ts';
import { loadCliStudent } from '../../node/load-default-student.ts';
import { DEFAULT_SCORE_CACHE, ScoreCache } from '../../node/score-cache.ts';
import { scoreImageFiles } from '../../node/score-image-files.ts';
import { nonNegativeInt, oneOf, positiveInt, UsageError, withScoreCacheOptions } from '../cli-support.ts';
import { progressBar } from '../../node/progress.ts';

interface EvalFlags {
  images: string;
  labels: string;
  mosColumn?: string;
  calibrate?: number;
  repeats: number;
  seed: number;
  json?: boolean;
  model?: string;
  mode?: ScoreMode;
  cache: boolean;
  cacheDir: string;
  workers: number;
}

export function evalCommand(): Command {
  const cmd = new Command('eval')
    .description('evaluate the student against MOS labels: SRCC/KRCC/PLCC, and calibrated figures with K labels')
    .requiredOption('--images <dir>', 'folder holding the labelled images')
    .requiredOption('--labels <csv>', 'CSV with a "name" column and a MOS column')
    .option('--mos-column <name>', 'MOS column (default: mos, mos_quality, MOS or score)')
    .option('--calibrate <k>', 'calibrate on K random labelled images per repeat, measure on the rest', positiveInt)
    .option('--repeats <r>', 'random label draws', positiveInt, 10)
    .option('--seed <s>', 'seed of the label draws', nonNegativeInt, 1)
    .option('--json', 'print one JSON object (the default; kept for scripts)')
    .option('--model <dir>', 'model folder (default: the shipped model)')
    .addOption(new Option('--mode <mode>', 'fast or accurate').argParser(oneOf(SCORE_MODES)));
  return withScoreCacheOptions(cmd, DEFAULT_SCORE_CACHE)
    .action(async (flags: EvalFlags) => {
      if (!fs.existsSync(flags.images) || !fs.statSync(flags.images).isDirectory()) throw new UsageError(`--images ${flags.images} is not a folder`);
      let text: string;
      try {
        text = fs.readFileSync(flags.labels, 'utf8');
      } catch {
        throw new UsageError(`--labels ${flags.labels} cannot be read`);
      }
      let parsed;
      try {
        parsed = parseLabels(text, flags.mosColumn);
      } catch (err) {
        throw new UsageError(`--labels ${flags.labels}: ${(err as Error).message}`);
      }
      const listed = parsed.labels;
      const present = listed.filter((l) => fs.existsSync(path.join(flags.images, l.name)));
      const student = await loadCliStudent(flags.model);
      const mode = flags.mode ?? student.manifest.input.defaultMode;
      const bar = progressBar('eval', present.length);
      const scored = await scoreImageFiles(student, present.map((l) => path.join(flags.images, l.name)), {
        mode,
        keepFeatures: true,
        cache: flags.cache ? new ScoreCache(flags.cacheDir, student.manifest, mode) : undefined,
        threads: { count: flags.workers, modelDir: flags.model },
        onProgress: (d) => bar.update(d),
      });
      bar.stop();
      const usable = scored.flatMap((s, i) => (s.result ? [{ score: s.result.score, features: s.features!, mos: present[i]!.mos }] : []));
      if (usable.length < 3) throw new UsageError(`only ${usable.length} labelled images could be scored; need at least 3`);
      const pred = usable.map((u) => u.score);
      const mos = usable.map((u) => u.mos);
      const c = correlations(pred, mos);
      let calibrated = null;
      if (flags.calibrate !== undefined) {
        if (flags.calibrate > usable.length - 3) throw new UsageError(`--calibrate ${flags.calibrate} leaves fewer than 3 of ${usable.length} usable images to measure on`);
        const items = usable.map((u) => ({ score: u.score, z: student.standardise(u.features, mode), mos: u.mos }));
        const r = evaluateLabelBudget(items, flags.calibrate, flags.repeats, flags.seed);
        calibrated = { k: r.k, repeats: r.repeats, srcc: r.srcc, plcc: r.plcc, rmse: r.rmse };
      }
      const out = {
        n: usable.length,
        uncalibrated: { srcc: c.srcc, krcc: c.krcc, plcc: c.plcc },
        calibrated,
        skipped: { missing: listed.length - present.length, unreadable: scored.length - usable.length, badLabels: parsed.skipped },
        model: { name: student.manifest.name, version: student.manifest.version, mode },
        mosColumn: parsed.column,
      };
      process.stdout.write(JSON.stringify(out) + '\n');
    });
}
