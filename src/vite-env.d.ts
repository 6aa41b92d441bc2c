/// <reference types="vite/client" />

/**
 * True only in builds made with LEAF_TEST_HOOK=1 (e2e tests and benches): the window test hook and the
 * worker's features/memory requests are compiled in only then (vite.config.ts `define`).
 */
declare const __LEAF_TEST_HOOK__: boolean;
