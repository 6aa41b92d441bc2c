import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startEngine } from '../engine-client/scoring-service.ts';
import { parseConfig } from '../shared/config.ts';
import { App } from './app.tsx';
import { registerServiceWorker } from './register-sw.ts';
import './app.css';

const config = parseConfig(window.location.href, import.meta.env.BASE_URL);
// LEAF_TEST_HOOK=1 builds only (e2e tests, benches): the bundle users get contains no test hook at all.
if (__LEAF_TEST_HOOK__) void import('./test-hook.ts').then((m) => m.installTestHook());
// Test builds only: ?watchdog-ms= shortens the wait before a silent worker is replaced, so e2e tests run fast.
const watchdogMs = __LEAF_TEST_HOOK__ ? Number(new URLSearchParams(window.location.search).get('watchdog-ms')) || undefined : undefined;
void startEngine(config, { watchdogMs });
if (import.meta.env.PROD) registerServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
