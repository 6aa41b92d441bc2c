// The fuzz corpus (issue #10) through the app, chosen in the file picker like a person would: every file
// ends scored or with a specific error, nothing hangs, memory stays bounded, and the batch carries on.
import fs from 'node:fs';
import path from 'node:path';
import { ensureCorpus } from '../src/node/fuzz/corpus.ts';
import { formatTally, judge, tally, type FuzzResult } from '../src/node/fuzz/fuzz-report.ts';
import { FUZZ_RESULTS_DIR } from '../src/node/fuzz/fuzz-results.ts';
import { expect, test } from './fixtures/leaf-test.ts';
import { hasData, NO_DATA_MESSAGE } from './fixtures/images.ts';

test('the fuzz corpus: a score or a specific error for every file, bounded memory, the batch carries on', async ({ leaf, page }) => {
  test.skip(!hasData(), NO_DATA_MESSAGE);
  test.setTimeout(600_000);
  const corpus = await ensureCorpus();
  await leaf.open();
  // Memory is summed over the scoring workers: compare with the pool complete.
  await leaf.waitPool();
  const before = await page.evaluate(() => window.__leaf!.memory());

  const files = corpus.entries.map((e) => path.join(corpus.dir, e.name));
  const t0 = Date.now();
  await leaf.addFiles(files);
  const state = await leaf.waitSettled(files.length, 480_000);
  const seconds = (Date.now() - t0) / 1000;

  const results: FuzzResult[] = state.images.map((i) =>
    i.status === 'scored' ? { name: i.name, score: i.score! } : { name: i.name, code: i.error?.code ?? i.status, message: i.error?.message },
  );
  const report = formatTally(`app (Chromium, ${state.settings.mode}): ${files.length} files in ${seconds.toFixed(0)} s`, tally(corpus.entries, results));
  console.log(report);
  fs.mkdirSync(FUZZ_RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(FUZZ_RESULTS_DIR, 'app.json'), JSON.stringify({ report, results }, null, 1));

  expect(judge(corpus.entries, results, 'app')).toEqual([]);
  expect(state.counts.scored + state.counts.failed).toBe(files.length);

  // Bounded memory: no tensor left behind, the wasm heap and the JS heaps within a fixed budget per worker
  // (Chromium reports no JS heap inside workers, so there the tensors and the wasm heap are what is measured).
  const after = await page.evaluate(() => window.__leaf!.memory());
  expect(after.workers).toBe(before.workers);
  expect(after.worker.numTensors).toBeLessThanOrEqual(before.worker.numTensors);
  expect(after.worker.numBytes).toBeLessThanOrEqual(before.worker.numBytes);
  expect((after.worker.wasmHeapBytes ?? 0) / after.workers).toBeLessThan(1024 * 2 ** 20);
  expect((after.worker.jsHeapBytes ?? 0) / after.workers).toBeLessThan(256 * 2 ** 20);
  expect(after.page.jsHeapBytes ?? 0).toBeLessThan(256 * 2 ** 20);

  // Still usable afterwards, and dropping behaves like choosing: one file of every category, the bombs and the
  // extreme sizes, dropped, and scored in Detail (1:1 patches of a 1 x 4096 image must not break it).
  const onePerCategory = [...new Map(corpus.entries.map((e) => [e.category, e])).values()];
  const wanted = [...new Set([...onePerCategory, ...corpus.entries.filter((e) => e.category === 'bomb' || e.category === 'extreme-size')])];
  await page.getByTestId('mode-accurate').click();
  await leaf.dropFiles(wanted.map((e) => path.join(corpus.dir, e.name)));
  const again = await leaf.waitSettled(files.length + wanted.length);
  const known = new Set(state.images.map((i) => i.id));
  const dropped: FuzzResult[] = again.images
    .filter((i) => !known.has(i.id))
    .map((i) => (i.status === 'scored' ? { name: i.name, score: i.score! } : { name: i.name, code: i.error?.code ?? i.status, message: i.error?.message }));
  expect(dropped).toHaveLength(wanted.length);
  expect(judge(wanted, dropped, 'app')).toEqual([]);
  expect(again.images.filter((i) => !known.has(i.id) && i.status === 'scored').every((i) => i.mode === 'accurate')).toBe(true);
  for (const d of dropped) expect(d.score !== undefined, d.name).toBe(results.find((r) => r.name === d.name)!.score !== undefined);
});
