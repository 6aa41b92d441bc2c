// `leaf teacher export-batch`, `import-batch` and `merge`: teacher runs on batch engines that already scale
// (node/teacher/batch.ts), and caches from several machines joined into one.
import { Command } from 'commander';
import { exportBatch, importBatch, mergeCaches } from '../../node/teacher/batch.ts';
import { DEFAULT_CACHE_DIR } from '../../node/teacher/judgment-cache.ts';
import type { Shard } from '../../node/teacher/shard.ts';
import { collectImages, UsageError } from '../cli-support.ts';
import { shardArg } from './teacher-live.ts';

interface BatchFlags {
  model?: string;
  prefill: boolean;
  cache: string | false;
}

function modelOf(flags: BatchFlags): string {
  const model = flags.model ?? process.env.LEAF_TEACHER_MODEL;
  if (!model) throw new UsageError('--model is required: the model name as the batch engine serves it (env LEAF_TEACHER_MODEL)');
  return model;
}

/** Runs an action, printing its error as `leaf teacher <name>: ...` with exit 2 for usage errors, 1 otherwise. */
function guarded<A extends unknown[]>(name: string, action: (...args: A) => Promise<number> | number): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = await action(...args);
    } catch (err) {
      process.stderr.write(`leaf teacher ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = err instanceof UsageError ? 2 : 1;
    }
  };
}

export function teacherExportBatchCommand(): Command {
  return new Command('export-batch')
    .description("write the live teacher's point questions as OpenAI Batch API JSONL (vLLM run_batch, Ray Data LLM, hosted batch APIs), one per image not yet judged")
    .argument('<paths...>', 'image files or folders')
    .requiredOption('--out <file.jsonl>', 'the batch input file to write')
    .option('--model <name>', 'model name as the batch engine serves it (env LEAF_TEACHER_MODEL)')
    .option('--no-prefill', 'requests without the answer prefix as an assistant message (engines that reject continue_final_message)')
    .option('--cache <dir>', 'judgment cache: images it already holds are left out', DEFAULT_CACHE_DIR)
    .option('--no-cache', 'export every image')
    .option('--shard <i/n>', "only this machine's share of the images, by content hash", shardArg)
    .action(
      guarded('export-batch', async (paths: string[], flags: BatchFlags & { out: string; shard?: Shard }) => {
        const model = modelOf(flags);
        const images = collectImages(paths);
        if (images.length === 0) throw new UsageError(`no images found in ${paths.join(' ')}`);
        const r = await exportBatch({ images, model, prefill: flags.prefill, out: flags.out, cacheDir: flags.cache === false ? null : flags.cache, ...(flags.shard ? { shard: flags.shard } : {}) });
        for (const u of r.unreadable.slice(0, 5)) process.stderr.write(`skipped ${u.file}: ${u.message}\n`);
        process.stderr.write(
          `${r.requests} requests written to ${r.out}; ${r.cached} already judged in the cache, ${r.duplicates} duplicate files, ${r.otherShard} for other shards, ${r.unreadable.length} unreadable\n`,
        );
        return r.unreadable.length ? 1 : 0;
      }),
    );
}

export function teacherImportBatchCommand(): Command {
  return new Command('import-batch')
    .description("read a batch engine's output JSONL into the judgment cache (only this model's answers to this prompt)")
    .argument('<results.jsonl>', "the engine's output file")
    .option('--model <name>', 'model name the requests were exported for (env LEAF_TEACHER_MODEL)')
    .option('--no-prefill', 'the requests were exported with --no-prefill')
    .option('--cache <dir>', 'judgment cache to add to', DEFAULT_CACHE_DIR)
    .action(
      guarded('import-batch', (file: string, flags: BatchFlags) => {
        if (flags.cache === false) throw new UsageError('import-batch needs a cache to import into');
        const r = importBatch({ file, model: modelOf(flags), prefill: flags.prefill, cacheDir: flags.cache });
        for (const f of r.failed.slice(0, 5)) process.stderr.write(`failed line ${f.line} (${f.customId}): ${f.reason}\n`);
        for (const f of r.refused.slice(0, 5)) process.stderr.write(`refused line ${f.line}: ${f.reason}\n`);
        if (r.malformed.length) process.stderr.write(`lines ${r.malformed.slice(0, 10).join(', ')} are not JSON (a truncated file?)\n`);
        process.stderr.write(
          `${r.imported} judgments imported into ${flags.cache}; ${r.alreadyCached} were already there, ${r.duplicates} duplicate lines, ${r.failed.length} failed (export again to retry them), ${r.refused.length} refused, ${r.malformed.length} not JSON\n`,
        );
        return r.failed.length + r.refused.length + r.malformed.length > 0 ? 1 : 0;
      }),
    );
}

export function teacherMergeCommand(): Command {
  return new Command('merge')
    .description('join judgment caches (e.g. from several --shard machines) into one; nothing is asked again')
    .argument('<caches...>', 'cache folders to read')
    .option('--into <dir>', 'the cache to add to', DEFAULT_CACHE_DIR)
    .action(
      guarded('merge', (from: string[], flags: { into: string }) => {
        const r = mergeCaches(flags.into, from);
        process.stderr.write(`${r.added} judgments added to ${flags.into}; ${r.present} were already there\n`);
        return 0;
      }),
    );
}
