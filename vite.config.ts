import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { DEFAULT_MODEL } from './src/shared/config.ts';

const MODELS_DIR = path.resolve(import.meta.dirname, 'models');
const SW_ENTRY = 'src/sw/service-worker.ts';
const SW_PLACEHOLDER = /(["'`])__LEAF_PRECACHE_MANIFEST__\1/;

function listFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : e.isFile() ? [`${prefix}${e.name}`] : [],
  );
}

const CONTENT_TYPES: Record<string, string> = { '.json': 'application/json', '.bin': 'application/octet-stream' };

/**
 * models/ lives at the repo top level (the CLI reads it too). Serve /models/** from it in dev and preview,
 * and copy it into dist/models at build so the built app is self-contained.
 */
function leafModels(): Plugin {
  let base = '/';
  const middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const prefix = `${base}models/`;
    if (!pathname.startsWith(prefix)) return next();
    const file = path.resolve(MODELS_DIR, decodeURIComponent(pathname.slice(prefix.length)));
    if (!file.startsWith(MODELS_DIR + path.sep) || !fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return next();
    res.setHeader('Content-Type', CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', String(fs.statSync(file).size));
    res.setHeader('Cache-Control', 'no-cache');
    fs.createReadStream(file).pipe(res);
  };
  return {
    name: 'leaf-models',
    configResolved(config) {
      base = config.base;
    },
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
    generateBundle() {
      for (const rel of listFiles(MODELS_DIR)) {
        this.emitFile({ type: 'asset', fileName: `models/${rel}`, source: fs.readFileSync(path.join(MODELS_DIR, rel)) });
      }
    },
  };
}

/**
 * The hand-written service worker is built as its own entry (dist/sw.js, unhashed so its URL is stable).
 * After the bundle is written, its precache list (every built file + the default model) and a version
 * hash of their contents replace the placeholder, so any change to the app or model makes a new cache.
 */
function serviceWorkerManifest(): Plugin {
  let outDir = 'dist';
  return {
    name: 'leaf-sw-manifest',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    writeBundle() {
      const swPath = path.join(outDir, 'sw.js');
      // The default model: its manifest and the files it lists (not whatever else sits in the folder).
      const model = JSON.parse(fs.readFileSync(path.join(MODELS_DIR, DEFAULT_MODEL, 'manifest.json'), 'utf8')) as { files: Record<string, unknown> };
      const modelFiles = new Set(['manifest.json', ...Object.keys(model.files)].map((f) => `models/${DEFAULT_MODEL}/${f}`));
      const built = listFiles(outDir)
        .filter((f) => f !== 'sw.js' && !f.endsWith('.map'))
        .filter((f) => (f.startsWith('models/') ? modelFiles.has(f) : true))
        // Never fetched: the worker turns wasm multithreading off (PLATFORM.md).
        .filter((f) => !/tfjs-backend-wasm-threaded-simd-[^/]*\.wasm$/.test(f))
        .sort();
      // The optional local teacher's worker and its ONNX runtime (~27 MB) are cached when first used, not
      // downloaded by every visitor at install.
      const onDemand = (f: string) => /^assets\/(teacher\.worker-[^/]*\.js|ort-wasm-[^/]*\.wasm)$/.test(f);
      const files = built.filter((f) => !onDemand(f));
      const lazy = built.filter(onDemand);
      const hash = createHash('sha256');
      for (const f of built) hash.update(f).update(fs.readFileSync(path.join(outDir, f)));
      const manifest = { version: hash.digest('hex').slice(0, 16), files, lazy };
      const code = fs.readFileSync(swPath, 'utf8');
      if (!SW_PLACEHOLDER.test(code)) throw new Error('service worker: precache placeholder not found in sw.js');
      fs.writeFileSync(swPath, code.replace(SW_PLACEHOLDER, JSON.stringify(JSON.stringify(manifest))));
    },
  };
}

/**
 * Privacy backstop for the built app: the browser itself refuses any request to another origin. (Build only:
 * Vite's dev server injects an inline script that this policy would block.)
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "worker-src 'self'",
  "connect-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'leaf-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head' }],
  };
}

/**
 * The page's entry spawns the scoring worker and then imports the app (src/app/main.tsx), so the app's own
 * chunks are announced in index.html: they download beside the entry instead of after it.
 */
function preloadApp(): Plugin {
  let base = '/';
  return {
    name: 'leaf-preload-app',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === 'chunk');
        const app = chunks.find((c) => c.facadeModuleId?.endsWith('/src/app/render-app.tsx'));
        if (!app) throw new Error('leaf-preload-app: no chunk for src/app/render-app.tsx');
        const files = new Set<string>();
        const visit = (fileName: string) => {
          const chunk = chunks.find((c) => c.fileName === fileName);
          if (files.has(fileName) || !chunk || chunk.isEntry) return;
          files.add(fileName);
          for (const dep of chunk.imports) visit(dep);
        };
        visit(app.fileName);
        return [...files].map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${f}` }, injectTo: 'head' as const }));
      },
    },
  };
}

/** Test-only code (window.__leaf, the worker's features/memory requests) ships only in LEAF_TEST_HOOK=1 builds. */
const TEST_HOOK = process.env.LEAF_TEST_HOOK === '1';

export default defineConfig({
  plugins: [react(), leafModels(), serviceWorkerManifest(), contentSecurityPolicy(), preloadApp()],
  define: { __LEAF_TEST_HOOK__: JSON.stringify(TEST_HOOK) },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      input: { main: path.resolve(import.meta.dirname, 'index.html'), sw: path.resolve(import.meta.dirname, SW_ENTRY) },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  server: { host: '127.0.0.1' },
});
