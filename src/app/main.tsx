import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startEngine } from '../scoring/scoring-service.ts';
import { parseConfig } from '../shared/config.ts';
import { App } from './app.tsx';
import { registerServiceWorker } from './register-sw.ts';
import { installTestHook } from './test-hook.ts';
import './app.css';

const config = parseConfig(window.location.href, import.meta.env.BASE_URL);
installTestHook();
void startEngine(config);
if (import.meta.env.PROD) registerServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
