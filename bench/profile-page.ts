// Where the page's main-thread time goes, under the DevTools CPU profiler, printing the functions with the
// most self time. --phase reopen (default): scores N BIQ2021 photos once, reloads and profiles reopening
// the folder (what bench:culling times). --phase score: profiles the first scoring pass of a fresh page
// (the page's share of the cores, next to bench:speed). A diagnosis tool; build without minifying for names.
//
//   LEAF_TEST_HOOK=1 npx vite build --minify false && npx tsx bench/profile-page.ts --images 400 [--phase score]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/fixtures/chromium.ts';
import { REPO, startPreview } from './lib/preview-server.ts';

const { values: opt } = parseArgs({
  options: { images: { type: 'string', default: '400' }, port: { type: 'string', default: '4183' }, phase: { type: 'string', default: 'reopen' } },
});
if (opt.phase !== 'reopen' && opt.phase !== 'score') throw new Error(`--phase is reopen or score, not ${opt.phase}`);
const N = Number(opt.images);
const src = path.resolve(REPO, '..', 'shared', 'data', 'biq2021', 'images');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-profile-'));
fs.readdirSync(src).slice(0, N).forEach((f, i) => fs.copyFileSync(path.join(src, f), path.join(dir, `IMG_${i}.jpg`)));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

const server = await startPreview(opt.port!);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
  const ready = () => page.waitForFunction(() => window.__leaf?.summary().engine.status === 'ready', null, { timeout: 120_000 });
  const settled = () => page.waitForFunction((n) => !window.__leaf!.summary().run.active && window.__leaf!.summary().counts.scored >= n, N, { timeout: 600_000, polling: 50 });
  await page.goto(server.origin);
  await ready();
  if (opt.phase === 'reopen') {
    await page.setInputFiles('[data-testid=folder-input]', dir);
    await settled();
    await page.reload();
    await ready();
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const t = Date.now();
  await page.setInputFiles('[data-testid=folder-input]', dir);
  await settled();
  const wallMs = Date.now() - t;
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = nodes.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  console.log(`${opt.phase === 'score' ? 'scoring' : 'reopening'} ${N} images: ${wallMs} ms; main-thread self time:`);
  for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${ms.toFixed(0).padStart(7)} ms  ${k}`);
} finally {
  await browser.close();
  server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
