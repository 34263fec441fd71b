// Keeps the staff page usable when the network drops: the page, its script, styles and QR decoder come
// from the network when it answers (so a new version is used at once) and from this cache when it does not.
// API calls are never touched: the page itself decides what to do offline.
'use strict';

const CACHE = 'walletpasses-staff-v1';
const SHELL = ['/api/staff', '/api/staff/staff.js', '/api/staff/staff.css', '/api/staff/jsQR.js'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !SHELL.includes(url.pathname)) {
    return;
  }
  event.respondWith(fetch(event.request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        event.waitUntil(caches.open(CACHE).then((cache) => cache.put(url.pathname, copy)));
      }
      return response;
    })
    .catch(() => caches.match(url.pathname).then((cached) => cached || Response.error())));
});
