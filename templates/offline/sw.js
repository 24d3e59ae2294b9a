/* 井字镇's service worker (served at /sw.js by branches.views.service_worker, scope "/").
   Workbox's modules come from the portal's own static files, never from a CDN. It keeps:
   - the static files an offline page needs (fetched at install);
   - the latest copy of each page marked "X-Offline-Page: 1" (branches.offline.offline_page), shown when the network
     is down. No other page and no API answer is ever stored: personal data on a shared phone. */
const CONFIG = {{ config|safe }};
importScripts(...CONFIG.workboxScripts);

const { registerRoute } = workbox.routing;
const { NetworkFirst, CacheFirst, StaleWhileRevalidate } = workbox.strategies;
const { ExpirationPlugin } = workbox.expiration;

// Only what the page asked to keep, and only a whole page; a proxy's 5xx counts as no network, so the kept copy
// is shown rather than an error page.
const offlinePagesOnly = {
  fetchDidSucceed: async ({ response }) => {
    if (response.status >= 500) throw new Error(`server answered ${response.status}`);
    return response;
  },
  cacheWillUpdate: async ({ response }) =>
    response && response.status === 200 && response.headers.get(CONFIG.offlineHeader) === "1" ? response : null,
};

const sameOrigin = (url) => url.origin === self.location.origin;
const StaticStrategy = CONFIG.hashedStatic ? CacheFirst : StaleWhileRevalidate;

registerRoute(
  ({ url, request }) => sameOrigin(url) && request.method === "GET" && url.pathname.startsWith(CONFIG.staticPrefix),
  new StaticStrategy({
    cacheName: CONFIG.staticCache,
    // The icon font is asked for with a "?v" query; static paths are versioned (hashed) by name, not by query.
    matchOptions: { ignoreSearch: true },
    plugins: [new ExpirationPlugin({ maxEntries: 80 })],
  }),
);

registerRoute(
  ({ url, request }) => sameOrigin(url) && request.mode === "navigate",
  new NetworkFirst({
    cacheName: CONFIG.pagesCache,
    networkTimeoutSeconds: 10,
    plugins: [offlinePagesOnly, new ExpirationPlugin({ maxEntries: 30, maxAgeSeconds: 7 * 24 * 3600 })],
  }),
);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CONFIG.staticCache).then((cache) => cache.addAll(CONFIG.assets)).then(() => self.skipWaiting()),
  );
});

// A new deployment's worker drops the caches of the previous one (its static cache has another name).
self.addEventListener("activate", (event) => {
  const keep = new Set([CONFIG.staticCache, CONFIG.pagesCache]);
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("jingzi-") && !keep.has(name))
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

// The page asks for its kept pages to be forgotten at logout and when another user logs in on the phone.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "clear-pages") {
    event.waitUntil(caches.delete(CONFIG.pagesCache));
  }
});
