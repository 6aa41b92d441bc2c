/** Registers the offline service worker (production builds only; dev serves modules it cannot precache). */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const url = `${import.meta.env.BASE_URL}sw.js`;
  navigator.serviceWorker.register(url, { scope: import.meta.env.BASE_URL }).catch((err: unknown) => {
    console.warn('LEAF: offline mode unavailable, service worker failed to register', err);
  });
}
