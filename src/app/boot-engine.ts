// The first script the page runs: it starts the scoring engine (worker, backend, model) before the app's
// own bundle is evaluated, so the model loads while React renders. A demo visitor's first score waits for
// the model, not for the page.
import { startEngine } from '../engine-client/scoring-service.ts';
import { parseConfig } from '../shared/config.ts';

const config = parseConfig(window.location.href, import.meta.env.BASE_URL);
// Test builds only: ?watchdog-ms= shortens the wait before a silent worker is replaced, so e2e tests run fast.
const watchdogMs = __LEAF_TEST_HOOK__ ? Number(new URLSearchParams(window.location.search).get('watchdog-ms')) || undefined : undefined;
void startEngine(config, { watchdogMs });
