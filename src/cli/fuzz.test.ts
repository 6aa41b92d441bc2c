// The fuzz corpus (issue #10) through `leaf score`: every file ends scored or with a specific error, within
// the per-file time limit, with bounded memory, and one bad file never stops the batch.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData } from '../node/datasets.ts';
import { ensureCorpus } from '../node/fuzz/corpus.ts';
import { formatTally, judge, tally } from '../node/fuzz/fuzz-report.ts';
import { FUZZ_RESULTS_DIR } from '../node/fuzz/fuzz-results.ts';
import { runCliOnCorpus } from '../node/fuzz/run-cli.ts';

describe.skipIf(!hasSharedData())('leaf score on the fuzz corpus', () => {
  it('gives every file a score or a specific error, in bounded time and memory', async () => {
    const corpus = await ensureCorpus();
    const run = await runCliOnCorpus(corpus.dir);
    const report = formatTally(`CLI (leaf score, accurate): ${corpus.entries.length} files in ${run.seconds.toFixed(0)} s, peak memory ${run.peakMb} MB`, tally(corpus.entries, run.results));
    console.log(report);
    fs.mkdirSync(FUZZ_RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(FUZZ_RESULTS_DIR, 'cli.json'), JSON.stringify({ report, results: run.results }, null, 1));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.results).toHaveLength(corpus.entries.length);
    expect(judge(corpus.entries, run.results, 'cli')).toEqual([]);
    expect(run.peakMb).not.toBeNull();
    expect(run.peakMb!).toBeLessThan(1500);
  }, 300_000);

  it('gives up on a file after --time-limit and carries on with the next', async () => {
    const corpus = await ensureCorpus();
    const dir = fs.mkdtempSync(path.join(corpus.dir, '..', 'fuzz-limit-'));
    try {
      for (const name of ['bomb-png-12000x12000-real.png', 'grey.jpg']) fs.copyFileSync(path.join(corpus.dir, name), path.join(dir, name));
      // 20 ms: far too short for 144 MP of PNG, still enough to start on the small JPEG.
      const run = await runCliOnCorpus(dir, ['--time-limit', '0.02']);
      const bomb = run.results.find((r) => r.name === 'bomb-png-12000x12000-real.png')!;
      expect(bomb).toMatchObject({ code: 'timeout' });
      expect(bomb.message).toMatch(/Gave up after 20 ms: decoding took too long/);
      expect(run.results).toHaveLength(2);
      expect(run.seconds).toBeLessThan(120);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
