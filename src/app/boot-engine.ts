// The first script the page runs. It spawns the primary scoring worker and has it load the model at once,
// before the app's bundle (and the scoring service with it) is even fetched; the engine, once loaded, adopts
// that worker and its load. The worker's script compiles and the model loads while the page evaluates and
// renders: a demo visitor's first score waits for the model, not for the page.
import { spawnPrimaryEarly } from '../engine-client/inference-worker.ts';
import { parseConfig } from '../shared/config.ts';

const config = parseConfig(window.location.href, import.meta.env.BASE_URL);
spawnPrimaryEarly({ modelUrl: config.modelUrl, backend: config.backend });
// Test builds only: ?watchdog-ms= shortens the wait before a silent worker is replaced, so e2e tests run fast.
const watchdogMs = __LEAF_TEST_HOOK__ ? Number(new URLSearchParams(window.location.search).get('watchdog-ms')) || undefined : undefined;
void import('../engine-client/scoring-service.ts').then(({ startEngine }) => startEngine(config, { watchdogMs }));
