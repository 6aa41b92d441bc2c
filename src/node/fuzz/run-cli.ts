// Runs the real `leaf score --json` over the corpus folder in a child process, as a user would, and reads
// back one result per file plus the peak memory the CLI reports.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../model-dir.ts';
import type { FuzzResult } from './fuzz-report.ts';

export interface CliFuzzRun {
  readonly results: FuzzResult[];
  readonly exitCode: number | null;
  readonly seconds: number;
  readonly peakMb: number | null;
  readonly stderr: string;
}

export function runCliOnCorpus(dir: string, args: readonly string[] = [], timeoutMs = 300_000): Promise<CliFuzzRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'leaf.mjs'), 'score', dir, '--json', '--no-cache', ...args], { cwd: REPO_ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      let images: { name: string; score?: number; code?: string; error?: string }[] = [];
      try {
        images = (JSON.parse(stdout) as { images: typeof images }).images;
      } catch {
        return reject(new Error(`leaf score printed no JSON (exit ${exitCode}): ${stderr.slice(-2000)}`));
      }
      const peak = /peak memory (\d+) MB/.exec(stderr);
      resolve({
        results: images.map((i) => (i.score !== undefined ? { name: i.name, score: i.score } : { name: i.name, code: i.code, message: i.error })),
        exitCode,
        seconds: (performance.now() - t0) / 1000,
        peakMb: peak ? Number(peak[1]) : null,
        stderr,
      });
    });
  });
}
