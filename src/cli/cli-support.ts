// What every `leaf` command shares: usage errors (exit 2, one line), flag parsers, collecting image
// files from the paths a user typed, and a progress bar on stderr.
import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import { mimeForPath } from '../node/teacher/run-live.ts';

/** Thrown for anything the user must fix in the command line: exit code 2. */
export class UsageError extends Error {}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer.');
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer.');
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a non-negative number.');
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number.');
  return n;
}

export function oneOf<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${allowed.join(', ')}.`);
    return value as T;
  };
}

/** A comma list whose items must all be allowed, e.g. --modes fast,accurate. */
export function listOf<T extends string>(allowed: readonly T[], what: string): (value: string) => T[] {
  return (value) => {
    const items = value.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = items.filter((i) => !(allowed as readonly string[]).includes(i));
    if (bad.length || items.length === 0) throw new UsageError(`--${what} must be a comma list of ${allowed.join(', ')} (got "${value}")`);
    return items as T[];
  };
}

/** Files as given, folders walked recursively for image files; sorted within each folder, deduplicated. */
export function collectImages(paths: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const abs = path.resolve(file);
    if (!seen.has(abs)) {
      seen.add(abs);
      out.push(file);
    }
  };
  const walk = (dir: string) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && mimeForPath(e.name)) add(full);
    }
  };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
    if (stat.isDirectory()) walk(p);
    else if (mimeForPath(p)) add(p);
    else throw new UsageError(`${p} is not a supported image (.jpg .jpeg .png .webp .gif .avif)`);
  }
  return out;
}

export interface Progress {
  update(done: number, extra?: Record<string, unknown>): void;
  stop(): void;
}

/** A progress bar on stderr when it is a terminal; in a log file, one line per 10% instead. */
export function progressBar(label: string, total: number, tty = process.stderr.isTTY === true): Progress {
  if (total === 0) return { update() {}, stop() {} };
  if (!tty) {
    let shown = -1;
    const begin = Date.now();
    return {
      update(done) {
        const tenth = Math.floor((10 * done) / total);
        if (tenth === shown) return;
        shown = tenth;
        process.stderr.write(`${label}: ${done}/${total} (${((Date.now() - begin) / 1000).toFixed(0)} s)\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} {bar} {value}/{total} | {rate} img/s | eta {eta_formatted}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const start = Date.now();
  bar.start(total, 0, { rate: '0.0' });
  return {
    update(done, extra) {
      bar.update(done, { rate: (done / Math.max(1e-3, (Date.now() - start) / 1000)).toFixed(1), ...extra });
    },
    stop() {
      bar.stop();
    },
  };
}

/** --cache-dir / --no-cache, shared by `leaf score` and `leaf eval` (see src/node/score-cache.ts). */
export function withScoreCacheOptions(cmd: Command, defaultDir: string): Command {
  return cmd
    .option('--cache-dir <dir>', 'where features of scored files are kept, by content hash, model version and mode', defaultDir)
    .option('--no-cache', 'decode and score every file again, and keep nothing');
}
