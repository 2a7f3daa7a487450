// The patrol service worker: the guard's round page, the checkpoint scan page and their files keep
// working with no network. Pages: network first, the kept copy when offline. Static files: kept copy
// first. A checkpoint's address (/safety/c/<code>/) offline is answered with the kept scan page,
// which queues the scan on the phone.
var CACHE = "houqin-patrol-v2";
var SHELL = "/safety/c/_/";

self.addEventListener("install", function (event) { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("message", function (event) {
  if (!event.data || event.data.type !== "cache") return;
  var urls = event.data.urls.concat([SHELL]);
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (response.ok) return cache.put(url, response);
        }).catch(function () {});
      }));
    }).then(function () { if (event.ports[0]) event.ports[0].postMessage("cached"); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;  // scans are queued by the page itself
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) cache.put(request, response.clone());
          return response;
        });
      });
    }));
    return;
  }
  if (request.mode === "navigate" && url.pathname.indexOf("/safety/") === 0) {
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok && !response.redirected) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
        }
        return response;
      }).catch(function () {
        return caches.open(CACHE).then(function (cache) {
          return cache.match(url.pathname).then(function (hit) {
            if (hit) return hit;
            if (url.pathname.indexOf("/safety/c/") === 0) return cache.match(SHELL);
            return new Response("offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
          });
        });
      })
    );
  }
});
