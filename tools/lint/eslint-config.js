// LEAF's ESLint rules (flat config; the root eslint.config.js re-exports this file so that these plugins
// resolve from tools/lint/node_modules, next to the TypeScript 6 that typescript-eslint needs).
//
// Boundaries, by where code runs (see tsconfig.json for the matching compiler checks):
//   src/core         pure TypeScript for every runtime: no DOM, no Node, no React/zustand, no TF.js backend
//                    (it may use @tensorflow/tfjs's portable ops; which backend runs is the worker's and
//                    src/node/tf-runtime.ts's choice), and nothing from the other src/ folders.
//   page             src/shared -> src/store -> src/engine-client -> src/features -> src/app, one way only;
//                    features never import each other; no TF.js at all (it lives in the worker bundle), so no
//                    core module that imports it either; from src/worker only the message contract
//                    (protocol.ts) and the pure backend planner (backend-choice.ts).
//   src/worker, sw   no page code (but the IndexedDB helper src/shared/indexed-db.ts), no Node code.
//   src/node, cli    no page or worker code (bench/ and e2e/ drive the app and may use its types).
// Unit tests (*.test.ts) may cross these lines to set up what they test (e.g. a Node TF backend).
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// typescript-eslint and its helpers (some hoisted to the root node_modules, e.g. ts-api-utils) require
// 'typescript' and must get TypeScript 6's JavaScript API, never the root's TypeScript 7 (a native compiler
// with no such API). In this ESLint process only, 'typescript' resolves to the copy in tools/lint.
const requireHere = createRequire(import.meta.url);
const TS_DIR = path.dirname(requireHere.resolve('typescript/package.json'));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'typescript' || request.startsWith('typescript/')) return resolveFilename.call(this, request, { id: TS_DIR, filename: path.join(TS_DIR, 'index.js'), paths: [path.dirname(TS_DIR)] }, ...rest.slice(1));
  return resolveFilename.call(this, request, ...rest);
};
const { default: importX } = await import('eslint-plugin-import-x');
const { default: tseslint } = await import('typescript-eslint');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rel = (p) => path.relative(ROOT, p).split(path.sep).join('/');

const FEATURES = fs
  .readdirSync(path.join(ROOT, 'src/features'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

/** src/core files that import TF.js: the page may not import them (TF.js belongs in the worker bundle). */
function coreFilesImportingTf(dir = path.join(ROOT, 'src/core')) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return coreFilesImportingTf(full);
    if (!/\.tsx?$/.test(e.name) || /\.test\.tsx?$/.test(e.name)) return [];
    return /from '@tensorflow\//.test(fs.readFileSync(full, 'utf8')) ? [`./${rel(full)}`] : [];
  });
}

const PAGE = ['./src/app', './src/features', './src/store', './src/shared', './src/engine-client'];
const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'child_process', 'url', 'util', 'zlib', 'http', 'https', 'stream', 'worker_threads'];
const NODE_ONLY = ['sharp', 'cli-progress', 'commander', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-*'];
const RUNTIME_GLOBALS = ['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'indexedDB', 'caches', 'self', 'process', 'Buffer', '__dirname', '__filename', 'require'].map(
  (name) => ({ name, message: 'src/core runs in the page, the worker and Node alike: take what the runtime gives as a parameter.' }),
);

/** A layer of the page may not import the layers above it. */
const pageLayers = [
  { target: './src/shared', from: ['./src/store', './src/engine-client', './src/features', './src/app'] },
  { target: './src/store', from: ['./src/engine-client', './src/features', './src/app'] },
  { target: './src/engine-client', from: ['./src/features', './src/app'] },
  { target: './src/features', from: ['./src/app'] },
];

const zones = [
  {
    target: './src/core',
    from: ['./src/app', './src/features', './src/store', './src/shared', './src/engine-client', './src/worker', './src/sw', './src/node', './src/cli'],
    message: 'src/core imports no runtime: it is shared by the page, the worker and Node.',
  },
  ...FEATURES.map((f) => ({
    target: `./src/features/${f}`,
    from: FEATURES.filter((g) => g !== f).map((g) => `./src/features/${g}`),
    message: 'Features do not import each other: move what both need to src/shared (or the store).',
  })),
  ...pageLayers.map((z) => ({ ...z, message: 'Page imports flow one way: shared -> store -> engine-client -> features -> app.' })),
  {
    target: PAGE,
    from: './src/worker',
    except: ['./protocol.ts', './backend-choice.ts', './teacher-protocol.ts'],
    message: 'The page talks to the worker through its message contract (protocol.ts) only.',
  },
  { target: PAGE, from: ['./src/node', './src/cli', './src/sw'], message: 'Node and service-worker code does not run in the page.' },
  { target: PAGE, from: coreFilesImportingTf(), message: 'This core module imports TF.js, which belongs in the worker bundle: import a TF-free module (e.g. core/model/score-mode.ts).' },
  { target: ['./src/worker', './src/sw'], from: [...PAGE.filter((p) => p !== './src/shared'), './src/node', './src/cli'], message: 'Worker code imports only core and its own modules.' },
  // The IndexedDB helper and the score store's layout hold no page state: the worker shares them with the page
  // (which reads stored thumbnails itself).
  { target: ['./src/worker', './src/sw'], from: './src/shared', except: ['./indexed-db.ts', './score-db.ts'], message: 'Worker code imports only core, its own modules, src/shared/indexed-db.ts and src/shared/score-db.ts.' },
  { target: ['./src/node', './src/cli'], from: [...PAGE, './src/worker', './src/sw'], message: 'Node code imports only core and src/node.' },
];

export default tseslint.config(
  {
    ignores: ['dist/**', '**/node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**', 'scripts/tmp/**', 'scratch/**', '.gpu/**', 'models/**', 'bench/results/**'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } } },
    rules: {
      // `_`-prefixed names are deliberately unused (e.g. a field destructured away); tsc checks the rest.
      // House style writes paired updates as one comma sequence, `(a += x), (b += y)`, which this rule flags.
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests may type a loosely shaped fixture (a fake server's request body) as any.
    files: ['**/*.test.ts', 'e2e/**/*.ts', 'src/node/teacher/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'import-x/no-restricted-paths': ['error', { basePath: ROOT, zones }] },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: NODE_BUILTINS, message: 'src/core imports no Node modules: it runs in the page and the worker too.' },
            { group: [...NODE_ONLY, 'react', 'react-dom', 'react/*', 'zustand', 'zustand/*'], message: 'src/core imports no runtime- or UI-specific package.' },
            { group: ['@tensorflow/tfjs-backend-*', '@tensorflow/tfjs-core/dist/*'], message: 'Backends are registered by the runtime (src/worker/backends.ts, src/node/tf-runtime.ts), not by core.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...RUNTIME_GLOBALS],
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}', 'src/features/**/*.{ts,tsx}', 'src/store/**/*.ts', 'src/shared/**/*.{ts,tsx}', 'src/engine-client/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@tensorflow/*'], message: 'TF.js runs in the inference worker only; the page talks to it through src/engine-client.' },
            { group: [...NODE_BUILTINS, ...NODE_ONLY], message: 'Node modules do not run in the page.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/worker/**/*.ts', 'src/sw/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...NODE_BUILTINS, ...NODE_ONLY, 'react', 'react-dom', 'zustand'], message: 'Worker code runs in a browser worker: no Node or UI modules.' }] }],
    },
  },
);
