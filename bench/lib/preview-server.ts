// The built app served by `vite preview` for the browser benches; resolves once it answers. Stop it with
// stop(): the server runs in its own process group so npx's child goes too.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface PreviewServer {
  readonly origin: string;
  stop(): void;
}

export async function startPreview(port: number | string): Promise<PreviewServer> {
  if (!fs.existsSync(path.join(REPO, 'dist', 'index.html'))) throw new Error('dist/ is missing: build first (LEAF_TEST_HOOK=1 npx vite build; the npm run bench:* scripts do)');
  const origin = `http://127.0.0.1:${port}`;
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: REPO, stdio: 'ignore', detached: true });
  const stop = () => {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(origin)).ok) return { origin, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error(`vite preview did not start on ${origin}`);
}
