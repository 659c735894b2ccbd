// The service worker: keeps the page (shell + reader wasm) for offline use and the latest trust and status lists.
export {};

/** Set by build.ts: a hash of the build (new build = new cache) and the files of the page. */
declare const __URSEAL_BUILD__: string;
declare const __URSEAL_SHELL__: string[];

/** The few ServiceWorkerGlobalScope shapes used here (tsconfig has the DOM lib, not WebWorker). */
interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(r: Response | Promise<Response>): void;
}
interface SwScope {
  registration: { scope: string };
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEvent) => void): void;
}

const sw = self as unknown as SwScope;
const SHELL_CACHE = `urseal-shell-${__URSEAL_BUILD__}`;
/** Trust and status lists: one cache across builds, so an update fetched once survives a page update. */
const DATA_CACHE = 'urseal-data';

sw.addEventListener('install', (e) => {
  e.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll(__URSEAL_SHELL__.map((f) => new URL(f, sw.registration.scope).href));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (e) => {
  e.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('urseal-shell-') && name !== SHELL_CACHE) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

function isData(url: URL): boolean {
  const rel = url.href.startsWith(sw.registration.scope) ? url.href.slice(sw.registration.scope.length) : url.pathname.slice(1);
  return (
    rel === 'trust-list' ||
    rel === 'trust-list.json' ||
    rel.startsWith('status/') ||
    url.pathname === '/trust-list' ||
    url.pathname.startsWith('/status/')
  );
}

/** Network first (the page verifies what it gets and refuses rollbacks), the last good copy when offline. */
async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(DATA_CACHE);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(request, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(request);
    if (hit) return hit;
    throw err;
  }
}

/** The page's own files: from the cache of this build, so it opens offline and never mixes builds. */
async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  if (request.mode === 'navigate') {
    const index = await cache.match(new URL('./', sw.registration.scope).href);
    if (index) return index;
  }
  return fetch(request);
}

sw.addEventListener('fetch', (e) => {
  const request = e.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== new URL(sw.registration.scope).origin) return;
  if (isData(url)) e.respondWith(networkFirst(request));
  else if (url.href.startsWith(sw.registration.scope)) e.respondWith(cacheFirst(request));
});
