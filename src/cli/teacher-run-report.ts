// What `leaf teacher live` and `leaf teacher local` share once their teacher is ready: a progress bar on
// stderr, Ctrl-C that stops taking work (answered judgments are already cached), the {points, pairs}
// JSON on stdout or --out, and a summary. Exit code 1 when anything failed, so scripts know to rerun.
import fs from 'node:fs';
import path from 'node:path';

import { type Progress, progressBar } from '../node/progress.ts';
import type { RunLiveResult } from '../node/teacher/run-live.ts';

export interface ReportIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface ReportOptions {
  /** e.g. "leaf teacher live", for messages. */
  readonly command: string;
  readonly progress: boolean;
  readonly out?: string;
}

export type TeacherRun = (signal: AbortSignal, onProgress: (done: number, total: number, failed: number) => void) => Promise<RunLiveResult>;

export async function runWithReport(run: TeacherRun, options: ReportOptions, io: ReportIo): Promise<number> {
  let bar: Progress | undefined;
  const abort = new AbortController();
  const onSigint = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  try {
    const result = await run(abort.signal, (done, total, failed) => {
      if (!options.progress) return;
      bar ??= progressBar('teacher', total, { stream: io.stderr, unit: 'judgments', fields: ['failed'] });
      bar.update(done, { failed });
    });
    bar?.stop();
    const json = `${JSON.stringify({ teacher: result.teacher, images: result.images, points: result.points, pairs: result.pairs, failures: result.failures }, null, 2)}\n`;
    if (options.out) {
      fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
      fs.writeFileSync(options.out, json);
    } else {
      io.stdout.write(json);
    }
    for (const f of result.failures.slice(0, 5)) io.stderr.write(`failed ${f.files.join(' vs ')}: ${f.message}\n`);
    if (result.failures.length > 5) io.stderr.write(`... and ${result.failures.length - 5} more failures (see "failures" in the output)\n`);
    const shard = result.otherShard !== undefined ? ` (${result.otherShard} files left to the other shards)` : '';
    io.stderr.write(`${result.points.length} point and ${result.pairs.length} pair judgments from ${result.teacher}, ${result.failures.length} failed${shard}\n`);
    return result.failures.length === 0 ? 0 : 1;
  } catch (err) {
    bar?.stop();
    if (abort.signal.aborted) {
      io.stderr.write(`${options.command}: interrupted; answered judgments are cached, rerun to resume\n`);
      return 130;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
