// Offline support: precache the app shell, the wasm binaries and the default model at install, then serve
// them cache-first. Pages are network-first with the cached shell as the offline fallback. Only same-origin
// GETs are touched; the app makes no other requests at all. Assets only an optional feature needs (the local
// teacher's worker and ONNX runtime) are not precached: they are cached the first time they are fetched.
//
// Upgrades: a new deploy's worker installs its own versioned cache and then waits. Open tabs keep running
// the old version from the old cache (their hashed chunks are gone from the server) until the user accepts
// the reload the page offers (register-sw.ts), which sends 'skip-waiting'; activation then deletes every
// older leaf-* cache.
export {};
declare const self: ServiceWorkerGlobalScope;

interface Precache {
  readonly version: string;
  /** Paths relative to the service worker's scope. */
  readonly files: readonly string[];
  /** Fetched only by an optional feature: cached on first use. */
  readonly lazy?: readonly string[];
}

// Replaced at build time by vite.config.ts (serviceWorkerManifest) with the real list.
const PRECACHE: Precache = JSON.parse('__LEAF_PRECACHE_MANIFEST__');
const CACHE = `leaf-${PRECACHE.version}`;
const SCOPE = new URL(self.registration.scope);
const SHELL = new URL('index.html', SCOPE).href;
const PRECACHED = new Set(PRECACHE.files.map((f) => new URL(f, SCOPE).href));
const LAZY = new Set((PRECACHE.lazy ?? []).map((f) => new URL(f, SCOPE).href));

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll([...PRECACHED].map((url) => new Request(url, { cache: 'reload' })));
    })(),
  );
});

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'skip-waiting') void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('leaf-') && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

async function fromCache(request: Request | string): Promise<Response | undefined> {
  const cache = await caches.open(CACHE);
  // ignoreVary: the preview server sends "Vary: Origin", and module scripts are requested with an Origin header.
  return cache.match(request, { ignoreSearch: true, ignoreVary: true });
}

async function page(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (err) {
    const shell = await fromCache(SHELL);
    if (shell) return shell;
    throw err;
  }
}

async function asset(request: Request): Promise<Response> {
  return (await fromCache(request)) ?? fetch(request);
}

async function lazyAsset(request: Request): Promise<Response> {
  const cached = await fromCache(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    // Best effort: a full disk only means it is fetched again next time.
    void caches.open(CACHE).then((c) => c.put(request, copy)).catch(() => undefined);
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin) return;
  if (request.mode === 'navigate') event.respondWith(page(request));
  else if (PRECACHED.has(url.origin + url.pathname)) event.respondWith(asset(request));
  else if (LAZY.has(url.origin + url.pathname)) event.respondWith(lazyAsset(request));
});
