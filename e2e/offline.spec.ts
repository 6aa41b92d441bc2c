// After one visit, the app and its model work with the server gone and the network off.
// This test runs its own preview server so it can stop it halfway.
import { type ChildProcess, spawn } from 'node:child_process';
import { hasData, NO_DATA_MESSAGE, realImages } from './fixtures/images.ts';
import { expect, test } from './fixtures/leaf-test.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

const PORT = 4174;
const ORIGIN = `http://127.0.0.1:${PORT}`;
test.use({ baseURL: ORIGIN });

async function startServer(): Promise<ChildProcess> {
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(ORIGIN)).ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`preview server did not start on ${ORIGIN}`);
}

function stopServer(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once('exit', () => resolve());
    process.kill(-server.pid!, 'SIGTERM'); // npx -> node: the whole group
  });
}

test('a reload with the network off still scores', async ({ leaf, page, context }) => {
  const server = await startServer();
  try {
    await leaf.open();
    // First visit: wait until the service worker has installed and holds the whole precache.
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
      return reg.active?.state;
    });
    const cached = await page.evaluate(async () => {
      const keys = await caches.keys();
      const cache = await caches.open(keys.find((k) => k.startsWith('leaf-'))!);
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    expect(cached).toEqual(expect.arrayContaining(['/index.html', '/models/leaf-mnv2-140/backbone.bin', '/models/leaf-mnv2-140/manifest.json']));
    expect(cached.some((p) => p.endsWith('.wasm'))).toBe(true);
  } finally {
    await stopServer(server);
  }
  await context.setOffline(true);
  await page.reload();
  const engine = await leaf.waitReady();
  expect(engine.backend!.backend).toBe('wasm');
  const photos = realImages(3, 700);
  await leaf.addFiles(photos);
  const state = await leaf.waitSettled(3);
  expect(state.counts.scored).toBe(3);
});
