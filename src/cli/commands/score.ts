// `leaf score <files or folders> [--model DIR] [--mode fast|accurate] [--json | --csv] [--no-cache] [--time-limit S]`
import { Command, Option } from 'commander';
import { formatCsv } from '../../core/data/csv.ts';
import { IMAGE_EXTENSIONS, isImageName } from '../../core/image/image-names.ts';
import { FILE_TIME_LIMIT_MS } from '../../core/image/limits.ts';
import { SCORE_MODES, type ScoreMode } from '../../core/model/score-mode.ts';
import { loadCliStudent } from '../../node/load-default-student.ts';
import { DEFAULT_SCORE_CACHE, ScoreCache } from '../../node/score-cache.ts';
import { scoreImageFiles } from '../../node/score-image-files.ts';
import { collectImages, oneOf, positiveNumber, UsageError, withScoreCacheOptions } from '../cli-support.ts';
import { progressBar } from '../../node/progress.ts';

const APP_NAMES = [...IMAGE_EXTENSIONS].map((e) => `.${e}`).join(' ');

interface ScoreFlags {
  model?: string;
  mode?: ScoreMode;
  json?: boolean;
  csv?: boolean;
  cache: boolean;
  cacheDir: string;
  workers: number;
  timeLimit: number;
}

export function scoreCommand(): Command {
  const cmd = new Command('score')
    .description('score image files or folders with the student (no calibration); one line per image')
    .argument('<paths...>', `image files or folders (walked for the names the app takes: ${APP_NAMES})`)
    .option('--model <dir>', 'model folder (default: the shipped models/leaf-mnv2-140)')
    .addOption(new Option('--mode <mode>', 'fast (Quick: 224 px) or accurate (Detail: 512 px + 1:1 patches of large photos)').argParser(oneOf(SCORE_MODES)))
    .addOption(new Option('--json', 'print a JSON array').conflicts('csv'))
    .option('--csv', 'print CSV with a header row')
    .option('--time-limit <seconds>', 'give up on a file after this long (decoding + model) and go on with the next', positiveNumber, FILE_TIME_LIMIT_MS / 1000);
  return withScoreCacheOptions(cmd, DEFAULT_SCORE_CACHE)
    .action(async (paths: string[], flags: ScoreFlags) => {
      // The app's names, so a folder scores the same files in both; what sharp cannot decode gets its own error.
      const files = collectImages(paths, isImageName, APP_NAMES);
      if (files.length === 0) throw new UsageError(`no images found in ${paths.join(' ')}`);
      const student = await loadCliStudent(flags.model);
      const mode = flags.mode ?? student.manifest.input.defaultMode;
      const bar = progressBar('score', files.length);
      const start = performance.now();
      const cache = flags.cache ? new ScoreCache(flags.cacheDir, student.manifest, mode) : undefined;
      const scored = await scoreImageFiles(student, files, {
        mode,
        cache,
        timeLimitMs: flags.timeLimit * 1000,
        threads: { count: flags.workers, modelDir: flags.model },
        onProgress: (d) => bar.update(d),
      });
      bar.stop();
      const seconds = (performance.now() - start) / 1000;
      const { name, version } = student.manifest;
      if (flags.json) {
        const rows = scored.map((s) =>
          s.result ? { file: s.file, name: s.name, score: s.result.score, probs: s.result.probs, mode: s.result.mode, detailPatches: s.patches ?? 0 } : { file: s.file, name: s.name, error: s.error, code: s.errorCode },
        );
        process.stdout.write(JSON.stringify({ model: { name, version }, scale: student.manifest.output, images: rows }, null, 2) + '\n');
      } else if (flags.csv) {
        // The app's Export CSV writer and quoting; LF line ends, as other command-line tools expect.
        const rows = scored.map((s) => [s.file, s.name, s.result ? s.result.score.toFixed(4) : '', s.result?.mode ?? '', s.result ? String(s.patches ?? 0) : '', s.error ?? '']);
        process.stdout.write(formatCsv(['file', 'name', 'score', 'mode', 'detail_patches', 'error'], rows, '\n'));
      } else {
        for (const s of scored) process.stdout.write(s.result ? `${s.result.score.toFixed(3)}\t${s.file}\n` : `error\t${s.file}\t${s.error}\n`);
      }
      const failed = scored.filter((s) => s.error).length;
      // Peak resident memory of this process (maxRSS is in KiB): large batches should not grow it.
      const peakMb = process.resourceUsage().maxRSS / 1024;
      process.stderr.write(
        `${scored.length - failed} scored (${scored.filter((s) => s.cached).length} from the cache), ${failed} failed in ${seconds.toFixed(1)} s (${((scored.length - failed) / seconds).toFixed(1)} images/s, ${mode}, ${name} ${version}; peak memory ${peakMb.toFixed(0)} MB)\n`,
      );
      for (const s of scored.filter((x) => x.error).slice(0, 5)) process.stderr.write(`  ${s.error}\n`);
      if (failed === scored.length) process.exitCode = 1;
    });
}
