/// <reference types="vite/client" />

/**
 * True only in builds made with LEAF_TEST_HOOK=1 (e2e tests and benches): the window test hook and the
 * worker's features/memory requests are compiled in only then (vite.config.ts `define`).
 */
declare const __LEAF_TEST_HOOK__: boolean;

/** libheif-js's ES module build with the wasm binary inlined (see core/image/heif.ts for the part used). */
declare module 'libheif-js/libheif-wasm/libheif-bundle.mjs' {
  const createLibheif: () => Promise<import('./core/image/heif.ts').Libheif>;
  export default createLibheif;
}
