// A scoring worker that hangs, crashes or dies silently is replaced (issues #8 "Bad input", #10 item 1):
// the image it was on fails with the specific reason, the queue goes on in a fresh worker, earlier scores
// stay, and a file scored before the fault keeps its score (now answered from the score store). Faults are injected through a test-only
// worker request; ?watchdog-ms= (test builds only) shortens the wait for a hung worker from 75 s.
import path from 'node:path';
import { hasData, NO_DATA_MESSAGE, realImages } from './fixtures/images.ts';
import { expect, test } from './fixtures/leaf-test.ts';
import type { LeafSnapshot } from '../src/app/test-hook.ts';
import type { TestFault } from '../src/worker/protocol.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

const WATCHDOG_MS = 10_000;

function byId(state: LeafSnapshot) {
  return new Map(state.images.map((i) => [i.id, i]));
}

test('a hung, a crashed and a silently closed worker are each replaced; the batch goes on and nothing scored is lost', async ({ leaf, page }) => {
  test.setTimeout(300_000);
  await leaf.open(`?watchdog-ms=${WATCHDOG_MS}`);
  const [p0, p1, p2, p3, p4, p5, p6, p7, p8] = realImages(9, 80) as [string, string, string, string, string, string, string, string, string];

  await leaf.addFiles([p0, p1, p2]);
  const first = await leaf.waitSettled(3);
  expect(first.counts).toMatchObject({ scored: 3, failed: 0 });
  const before = byId(first);

  const fault = (f: TestFault) => page.evaluate((x) => window.__leaf!.workerFault(x), f);
  let settled = 3;
  // Each round: the first image of the batch (never scored before, so the model runs on it) meets the
  // fault; the second is new; the third repeats an earlier photo, which must keep the score it was given.
  const rounds: { fault: TestFault; files: string[]; code: string; message: RegExp; again: string }[] = [
    { fault: 'hang', files: [p3, p4, p0], code: 'timeout', message: new RegExp(`^Not scored: the scoring worker stopped responding after ${WATCHDOG_MS / 1000} s$`), again: p0 },
    { fault: 'crash', files: [p5, p6, p1], code: 'inference-failed', message: /^Not scored: the scoring worker crashed: .*test fault: the worker was told to crash/, again: p1 },
    { fault: 'exit', files: [p7, p8, p2], code: 'timeout', message: /stopped responding after/, again: p2 },
  ];
  for (const [n, round] of rounds.entries()) {
    await fault(round.fault);
    await leaf.addFiles(round.files);
    settled += round.files.length;
    await leaf.waitSettled(settled, 120_000);
    // The other workers of the pool may finish the batch while the replaced one still loads the model.
    await leaf.waitReady();
    const state = await leaf.state();
    const images = byId(state);
    const ids = [...images.keys()].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))).slice(-3);
    const [hit, fresh, repeat] = ids.map((id) => images.get(id)!);

    expect(hit, `${round.fault}: the image the worker was on`).toMatchObject({ name: path.basename(round.files[0]!), status: 'failed', error: { code: round.code } });
    expect(hit!.error!.message).toMatch(round.message);
    expect(fresh!.status, `${round.fault}: ${fresh!.error?.message}`).toBe('scored');
    expect(fresh!.stored).toBe(false);
    expect(repeat).toMatchObject({ status: 'scored', stored: true });
    // Same file, same score, through the replacement worker.
    const original = before.get(first.images.find((i) => i.name === path.basename(round.again))!.id)!;
    expect(repeat!.raw).toBe(original.raw);
    // Everything scored earlier is still there with its score.
    for (const [id, img] of before) expect(images.get(id), id).toMatchObject({ status: 'scored', raw: img.raw });

    const engine = state.engine;
    expect(engine.status).toBe('ready');
    expect(engine.restarts).toBe(n + 1);
    expect(engine.restartReason).toBe(hit!.error!.message.replace(/^Not scored: /, ''));
    await expect(leaf.card(hit!.name).first()).toBeVisible();
    await expect(page.getByTestId('engine-restarts')).toContainText(n === 0 ? 'restarted once' : `restarted ${n + 1} times`);
  }
  await expect(page.locator('[data-testid=image-card][data-status=failed]').first().getByTestId('error-badge')).toBeVisible();
  const end = await leaf.state();
  expect(end.counts).toMatchObject({ total: 12, scored: 9, failed: 3 });
});
