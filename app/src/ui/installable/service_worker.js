// The portal's service worker, written by the server for the current bundle
// (app/src/ui/installable.rs fills in the placeholders).
//
// - Pages: always from the network; when the network is gone, the offline page.
// - The app shell of THIS version (bundle, stylesheet, icons, offline page): from its
//   own cache, filled at install. A new version has new file names and a new cache;
//   old caches are deleted when the new worker takes over.
// - Nothing else is touched: server functions, signed-in pages, downloads and
//   calendar files never enter a cache.
'use strict';

const VERSION = __VERSION__;
const CACHE = 'portal-shell-' + VERSION;
const SHELL = __SHELL__;
const OFFLINE = __OFFLINE__;
// Navigations that are downloads or redirects, not pages: left to the browser.
const NOT_PAGES = [/^\/dateien\//, /^\/kalender\//, /^\/api\//, /^\/sprache/, /\/eingangsbestaetigung$/];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('portal-shell-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

// The page's "Neu laden" lets a waiting version take over.
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

// Without network: the kept offline page. Any other page first redirects there, so the
// address matches the page (the app then starts on the right route); the wanted page
// goes along for "Erneut versuchen".
function offline(url) {
  if (url.pathname !== OFFLINE) {
    return Response.redirect(OFFLINE + '?zurueck=' + encodeURIComponent(url.pathname + url.search), 303);
  }
  return caches
    .open(CACHE)
    .then((cache) => cache.match(OFFLINE, { ignoreSearch: true }))
    .then((page) => page || Response.error());
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    if (NOT_PAGES.some((pattern) => pattern.test(url.pathname))) return;
    event.respondWith(fetch(request).catch(() => offline(url)));
    return;
  }
  if (url.search === '' && SHELL.includes(url.pathname)) {
    event.respondWith(caches.open(CACHE).then((cache) => cache.match(url.pathname)).then((hit) => hit || fetch(request)));
  }
});
