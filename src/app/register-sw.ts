// Registers the offline service worker (production builds only; dev serves modules it cannot precache) and
// notices a new deploy: its worker waits (service-worker.ts), and the page offers a reload (update-prompt.tsx)
// instead of reloading by itself, which would throw away the images scored in this tab.

/** How often a long-open tab asks the server for a new deploy (the browser itself checks on navigation). */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

let waiting: ServiceWorker | null = null;
const listeners = new Set<() => void>();

function offer(worker: ServiceWorker): void {
  waiting = worker;
  for (const fn of listeners) fn();
}

/** A store for useSyncExternalStore: whether a new version is installed and waiting for a reload. */
export const appUpdate = {
  subscribe(fn: () => void): () => void {
    listeners.add(fn);
    return () => void listeners.delete(fn);
  },
  ready: (): boolean => waiting !== null,
};

/** Activates the waiting version and reloads once it controls the page. */
export function applyUpdate(): void {
  if (!waiting) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
  waiting.postMessage({ type: 'skip-waiting' });
}

function watch(reg: ServiceWorkerRegistration): void {
  // Without a controller this is the first install, which activates at once: nothing to offer.
  if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
  reg.addEventListener('updatefound', () => {
    const worker = reg.installing;
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
    });
  });
  setInterval(() => void reg.update().catch(() => undefined), UPDATE_CHECK_MS);
}

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const url = `${import.meta.env.BASE_URL}sw.js`;
  navigator.serviceWorker
    .register(url, { scope: import.meta.env.BASE_URL })
    .then(watch)
    .catch((err: unknown) => {
      console.warn('LEAF: offline mode unavailable, service worker failed to register', err);
    });
}
