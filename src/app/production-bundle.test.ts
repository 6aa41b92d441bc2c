// Nothing test-only ships to users: a production build has no window test hook, no worker
// features/memory handling, no worker fault injection and no way to shorten the worker watchdog; a LEAF_TEST_HOOK=1 build (what e2e tests and benches use) has them, which
// shows the check can fail.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../node/model-dir.ts';

const TEST_ONLY_MARKERS = ['__leaf', 'featureBytes', 'jsHeapBytes', 'test-fault-armed', 'told to crash', 'watchdog-ms'];

function build(testHook: boolean): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-bundle-'));
  // As a user's shell would run it: no NODE_ENV=test from the test runner.
  const { NODE_ENV: _, ...rest } = process.env;
  const env = { ...rest, LEAF_TEST_HOOK: testHook ? '1' : '' };
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], { cwd: REPO_ROOT, env, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return out;
}

function scripts(dir: string): string {
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  return files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
}

describe('production bundle', () => {
  it('contains no test hook or test-only worker requests, unlike a LEAF_TEST_HOOK=1 build', () => {
    const prod = scripts(build(false));
    const test = scripts(build(true));
    for (const marker of TEST_ONLY_MARKERS) {
      expect(prod.includes(marker), `production bundle contains "${marker}"`).toBe(false);
      expect(test.includes(marker), `test bundle lacks "${marker}"`).toBe(true);
    }
  }, 180_000);
});
