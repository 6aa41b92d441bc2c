// What every `leaf` command shares: usage errors (exit 2, one line), flag parsers, collecting image
// files from the paths a user typed. (Progress on stderr: src/node/progress.ts.)
import { defaultThreads } from '../node/feature-pool.ts';
import { type Command, InvalidArgumentError } from 'commander';
import { collectImageFiles, ImagePathError } from '../node/image-files.ts';

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

/**
 * Files as given, folders walked recursively for image files (src/node/image-files.ts); a bad path is a usage
 * error. Default: the types a teacher can send; `leaf score` passes the app's names (core/image/image-names.ts).
 */
export function collectImages(paths: readonly string[], accepts?: (name: string) => boolean, describe?: string): string[] {
  try {
    return collectImageFiles(paths, accepts, describe);
  } catch (err) {
    throw err instanceof ImagePathError ? new UsageError(err.message) : err;
  }
}

/** --cache-dir / --no-cache / --workers, shared by `leaf score` and `leaf eval` (see src/node/score-cache.ts, feature-pool.ts). */
export function withScoreCacheOptions(cmd: Command, defaultDir: string): Command {
  return cmd
    .option('--cache-dir <dir>', 'where features of scored files are kept, by content hash, model version and mode', defaultDir)
    .option('--no-cache', 'decode and score every file again, and keep nothing')
    .option('--workers <n>', 'threads that run the model (default: one per core, at most 4; 1: this thread only)', positiveInt, defaultThreads());
}
