// `leaf teacher live <files or folders...>`: asks a live MLLM server for judgments of every image,
// with a progress bar on stderr and a resumable cache, and writes {points, pairs} as JSON.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

import { resolveLiveTeacherConfig, type Env, type LiveTeacherConfig } from '../../node/teacher/live-client.ts';
import { DEFAULT_CACHE_DIR } from '../../node/teacher/judgment-cache.ts';
import { runLiveTeacher, type PairPlan } from '../../node/teacher/run-live.ts';
import { parseShard, type Shard } from '../../node/teacher/shard.ts';
import { collectImages, nonNegativeInt, positiveInt, UsageError } from '../cli-support.ts';
import { runWithReport } from '../teacher-run-report.ts';

/** Where the command talks to the world; tests replace it. */
export interface TeacherLiveIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: Env;
  /** Ends the command with this code (2 for bad flags); the process version does not return. */
  readonly exit: (code: number) => void;
}

interface LiveFlags {
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  concurrency?: number;
  timeoutMs?: number;
  maxRetries?: number;
  prefill: boolean;
  pairs: PairPlan;
  seed: number;
  cache: string | false;
  out?: string;
  progress: boolean;
  shard?: Shard;
}


export function teacherLiveCommand(io: TeacherLiveIo = processIo()): Command {
  const command = new Command('live')
    .description('ask a live OpenAI-compatible MLLM server (vLLM, SGLang, Ollama, ...) to judge images')
    .argument('<paths...>', 'image files or folders (walked for .jpg .jpeg .png .webp .gif .avif)')
    .option('--base-url <url>', 'chat-completions base URL, e.g. http://127.0.0.1:8000/v1 (env LEAF_TEACHER_BASE_URL)')
    .option('--model <name>', 'model name as the server knows it (env LEAF_TEACHER_MODEL)')
    .option('--api-key <key>', 'bearer token (env LEAF_TEACHER_API_KEY or OPENAI_API_KEY)')
    .option('--concurrency <n>', 'requests in flight at once (default 4)', positiveInt)
    .option('--timeout-ms <n>', 'per-request timeout in ms (default 60000)', positiveInt)
    .option('--max-retries <n>', 'retries on 429, 5xx, timeouts and network errors (default 4)', nonNegativeInt)
    .option('--no-prefill', 'do not send the answer prefix as an assistant message (for servers that reject continue_final_message)')
    .addOption(new Option('--pairs <n>', 'pair judgments: none, adjacent, or a count of random pairs').default('none').argParser(pairPlan))
    .option('--seed <n>', 'seed for random pairs', nonNegativeInt, 1)
    .option('--cache <dir>', 'resumable judgment cache folder', DEFAULT_CACHE_DIR)
    .option('--no-cache', 'query everything afresh and store nothing')
    .option('--out <file.json>', 'write the judgments here (default stdout)')
    .option('--no-progress', 'no progress bar')
    .option('--shard <i/n>', 'judge only this machine\'s share of the images (by content hash): 1/4 .. 4/4 on four machines; join the caches with leaf teacher merge', shardArg)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride((err: CommanderError) => {
      // Help exits 0; every other parse error (commander already printed it) is a usage error.
      io.exit(err.exitCode === 0 ? 0 : 2);
      throw err; // only reached with a test io: unwinds commander's parse
    })
    .action(async (paths: string[], flags: LiveFlags) => {
      let code: number;
      try {
        code = await runCommand(paths, flags, io);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        io.stderr.write(`leaf teacher live: ${message}\n`);
        code = err instanceof UsageError ? 2 : 1;
      }
      await Promise.all([flush(io.stdout), flush(io.stderr)]);
      io.exit(code);
    });
  return command;
}

async function runCommand(paths: string[], flags: LiveFlags, io: TeacherLiveIo): Promise<number> {
  let config: LiveTeacherConfig;
  try {
    config = resolveLiveTeacherConfig(
      {
        baseUrl: flags.baseUrl,
        model: flags.model,
        apiKey: flags.apiKey,
        concurrency: flags.concurrency,
        timeoutMs: flags.timeoutMs,
        maxRetries: flags.maxRetries,
        prefill: flags.prefill,
      },
      io.env,
    );
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (flags.shard && flags.shard.count > 1 && flags.pairs !== 'none') throw new UsageError('--shard splits point judgments by image, and pairs span shards: leave --pairs out (pairs can be run after leaf teacher merge)');
  const files = collectImages(paths);
  if (files.length === 0) throw new UsageError(`no images (.jpg .jpeg .png .webp .gif .avif) found in ${paths.join(' ')}`);

  return runWithReport(
    (signal, onProgress) =>
      runLiveTeacher({
        images: files,
        pairs: flags.pairs,
        seed: flags.seed,
        config,
        cacheDir: flags.cache === false ? null : flags.cache,
        ...(flags.shard ? { shard: flags.shard } : {}),
        signal,
        onProgress,
      }),
    { command: 'leaf teacher live', progress: flags.progress, ...(flags.out ? { out: flags.out } : {}) },
    io,
  );
}

export function shardArg(value: string): Shard {
  try {
    return parseShard(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export function pairPlan(value: string): PairPlan {
  if (value === 'none' || value === 'adjacent') return value;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be none, adjacent or a non-negative integer.');
  return n;
}

export function flush(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

function processIo(): TeacherLiveIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, exit: (code) => process.exit(code) };
}
