// The app itself, loaded by main.tsx once the engine has been started: React, the store and every view.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { registerServiceWorker } from './register-sw.ts';
import './app.css';

// LEAF_TEST_HOOK=1 builds only (e2e tests, benches): the bundle users get contains no test hook at all.
if (__LEAF_TEST_HOOK__) void import('./test-hook.ts').then((m) => m.installTestHook());
if (import.meta.env.PROD) registerServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
