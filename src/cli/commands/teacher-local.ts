// `leaf teacher local --model DIR --kind vlm|clip <files or folders...>`: judges images with a model
// folder on disk through Transformers.js (never the network), into the same resumable cache and the
// same {points, pairs} JSON as `leaf teacher live`.
import { Command, CommanderError, Option } from 'commander';

import { DEFAULT_CACHE_DIR } from '../../node/teacher/judgment-cache.ts';
import { LocalModelError } from '../../core/teacher/local/local-model-error.ts';
import { DTYPE_SUFFIX, LOCAL_KINDS, type LocalDtype, type LocalKind } from '../../core/teacher/local/model-folder.ts';
import { runTeacher, type PairPlan } from '../../node/teacher/run-live.ts';
import { collectImages, nonNegativeInt, UsageError } from '../cli-support.ts';
import { runWithReport } from '../teacher-run-report.ts';
import { flush, pairPlan, type TeacherLiveIo } from './teacher-live.ts';

interface LocalFlags {
  model: string;
  kind: LocalKind;
  dtype: LocalDtype;
  pairs: PairPlan;
  seed: number;
  cache: string | false;
  out?: string;
  progress: boolean;
}

/** Load errors the user fixes by pointing at another folder or kind: usage errors (exit 2). */
const USAGE_CODES = new Set(['missing-folder', 'missing-file', 'wrong-kind']);

export function teacherLocalCommand(io: TeacherLiveIo = processIo()): Command {
  return new Command('local')
    .description('judge images with a local Transformers.js model folder (vision-language model or CLIP), offline')
    .argument('<paths...>', 'image files or folders (walked for .jpg .jpeg .png .webp .gif .avif)')
    .requiredOption('--model <dir>', 'model folder: config.json, tokenizer.json, tokenizer_config.json, preprocessor_config.json, onnx/*.onnx')
    .addOption(new Option('--kind <kind>', 'vlm: level words after the rating prompt; clip: antonym prompt pairs').choices(LOCAL_KINDS).makeOptionMandatory())
    .addOption(new Option('--dtype <dtype>', 'which ONNX files to load (fp32: model.onnx, q8: model_quantized.onnx, ...)').choices(Object.keys(DTYPE_SUFFIX)).default('fp32'))
    .addOption(new Option('--pairs <n>', 'pair judgments (derived from the two images\' level distributions): none, adjacent, or a count of random pairs').default('none').argParser(pairPlan))
    .option('--seed <n>', 'seed for random pairs', nonNegativeInt, 1)
    .option('--cache <dir>', 'resumable judgment cache folder', DEFAULT_CACHE_DIR)
    .option('--no-cache', 'judge everything afresh and store nothing')
    .option('--out <file.json>', 'write the judgments here (default stdout)')
    .option('--no-progress', 'no progress bar')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride((err: CommanderError) => {
      io.exit(err.exitCode === 0 ? 0 : 2);
      throw err; // only reached with a test io: unwinds commander's parse
    })
    .action(async (paths: string[], flags: LocalFlags) => {
      let code: number;
      try {
        code = await runCommand(paths, flags, io);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        io.stderr.write(`leaf teacher local: ${message}\n`);
        code = err instanceof UsageError || (err instanceof LocalModelError && USAGE_CODES.has(err.code)) ? 2 : 1;
      }
      await Promise.all([flush(io.stdout), flush(io.stderr)]);
      io.exit(code);
    });
}

async function runCommand(paths: string[], flags: LocalFlags, io: TeacherLiveIo): Promise<number> {
  const files = collectImages(paths);
  if (files.length === 0) throw new UsageError(`no images (.jpg .jpeg .png .webp .gif .avif) found in ${paths.join(' ')}`);
  // Loaded on demand: every other `leaf` command starts without Transformers.js and onnxruntime.
  const { loadLocalTeacher } = await import('../../node/teacher/local/load-local-teacher.ts');
  const teacher = await loadLocalTeacher({ model: flags.model, kind: flags.kind, dtype: flags.dtype });
  try {
    return await runWithReport(
      (signal, onProgress) =>
        // Two jobs in flight: one decodes while the other runs the (serialised) model.
        runTeacher(teacher, { images: files, pairs: flags.pairs, seed: flags.seed, cacheDir: flags.cache === false ? null : flags.cache, concurrency: 2, signal, onProgress }),
      { command: 'leaf teacher local', progress: flags.progress, ...(flags.out ? { out: flags.out } : {}) },
      io,
    );
  } finally {
    await teacher.dispose();
  }
}

function processIo(): TeacherLiveIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, exit: (code) => process.exit(code) };
}
