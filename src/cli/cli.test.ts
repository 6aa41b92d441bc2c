// Runs the real `leaf` CLI as a user would (a child process), on real images from ../shared/data.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA } from '../node/datasets.ts';
import { REPO_ROOT } from '../node/model-dir.ts';

const leaf = (...args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'leaf.mjs'), ...args], { encoding: 'utf8', cwd: REPO_ROOT, timeout: 120_000 });

function labelledFolder(): { dir: string; csv: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-eval-'));
  const src = path.join(SHARED_DATA, 'biq2021');
  const rows = fs.readFileSync(path.join(src, 'labels.csv'), 'utf8').split(/\r?\n/).slice(1, 13).filter(Boolean);
  for (const r of rows) fs.copyFileSync(path.join(src, 'images', r.slice(0, r.lastIndexOf(','))), path.join(dir, r.slice(0, r.lastIndexOf(','))));
  fs.writeFileSync(path.join(dir, 'corrupt.jpg'), fs.readFileSync(path.join(dir, rows[0]!.slice(0, rows[0]!.lastIndexOf(',')))).subarray(0, 300));
  const csv = path.join(dir, 'labels.csv');
  fs.writeFileSync(csv, ['name,mos', ...rows, '"missing, file.jpg",0.5', 'corrupt.jpg,0.4'].join('\n'));
  return { dir, csv };
}

describe('leaf CLI', () => {
  it('exits 2 with a one-line reason on bad flags and unusable input', () => {
    for (const args of [['eval', '--images', '/nonexistent', '--labels', 'x.csv'], ['score'], ['eval', '--images', '.', '--labels', 'x.csv', '--calibrate', '0'], ['distill', '--modes', 'turbo'], ['score', '--workers', '0', '.']]) {
      const r = leaf(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n').length, r.stderr).toBe(1);
    }
  }, 240_000);

  it.skipIf(!hasSharedData())('eval prints one JSON object with the stable shape, counting missing and unreadable files', () => {
    const { dir, csv } = labelledFolder();
    const r = leaf('eval', '--images', dir, '--labels', csv, '--calibrate', '5', '--repeats', '3', '--seed', '7', '--json');
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!);
    expect(out.n).toBe(12);
    expect(out.skipped).toMatchObject({ missing: 1, unreadable: 1 });
    for (const k of ['srcc', 'krcc', 'plcc']) expect(Number.isFinite(out.uncalibrated[k])).toBe(true);
    expect(out.calibrated).toMatchObject({ k: 5, repeats: 3 });
    for (const k of ['srcc', 'plcc', 'rmse']) {
      expect(Number.isFinite(out.calibrated[k].mean)).toBe(true);
      expect(out.calibrated[k].sd).toBeGreaterThanOrEqual(0);
    }
    // Reproducible: same seed, same numbers.
    const again = JSON.parse(leaf('eval', '--images', dir, '--labels', csv, '--calibrate', '5', '--repeats', '3', '--seed', '7').stdout);
    expect(again.calibrated).toEqual(out.calibrated);
  }, 240_000);

  it.skipIf(!hasSharedData())('score --csv lists every file, with an error for the corrupt one', () => {
    const { dir } = labelledFolder();
    const r = leaf('score', dir, '--csv');
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toBe('file,name,score,mode,detail_patches,error');
    expect(rows).toHaveLength(1 + 13);
    const corrupt = rows.find((x) => x.includes('corrupt.jpg'))!;
    expect(corrupt).toMatch(/Corrupt or truncated JPEG file/);
    expect(rows.filter((x) => /,(fast|accurate),0,$/.test(x))).toHaveLength(12);
  }, 240_000);

  it.skipIf(!hasSharedData())('score reuses features of files it scored before, keyed by content, and --no-cache scores afresh', () => {
    const { dir } = labelledFolder();
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-cache-'));
    const first = leaf('score', dir, '--csv', '--cache-dir', cacheDir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/12 scored \(0 from the cache\)/);
    const second = leaf('score', dir, '--csv', '--cache-dir', cacheDir);
    expect(second.stderr).toMatch(/12 scored \(12 from the cache\)/);
    expect(second.stdout).toBe(first.stdout);
    // Same name, other content: scored again, not served from the cache.
    const [a, b] = fs.readdirSync(dir).filter((f) => f.startsWith('ss'));
    fs.copyFileSync(path.join(dir, b!), path.join(dir, a!));
    const third = leaf('score', dir, '--csv', '--cache-dir', cacheDir);
    expect(third.stderr).toMatch(/12 scored \(12 from the cache\)/); // a's new bytes are b's, already cached
    const row = (out: string, name: string) => out.split('\n').find((l) => l.includes(`,${name},`))!.split(',')[2];
    expect(row(third.stdout, a!)).toBe(row(first.stdout, b!));
    const fresh = leaf('score', dir, '--csv', '--no-cache', '--cache-dir', cacheDir);
    expect(fresh.stderr).toMatch(/12 scored \(0 from the cache\)/);
    expect(fresh.stdout).toBe(third.stdout);
  }, 240_000);

  it.skipIf(!hasSharedData())('score on two threads prints what one thread prints, in file order', () => {
    const { dir } = labelledFolder();
    const one = leaf('score', dir, '--csv', '--no-cache', '--workers', '1', '--mode', 'fast');
    const two = leaf('score', dir, '--csv', '--no-cache', '--workers', '2', '--mode', 'fast');
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toMatch(/12 scored \(0 from the cache\), 1 failed/);
  }, 240_000);
});
