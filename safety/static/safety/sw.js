// The patrol service worker: the guard's round page, the checkpoint scan page and their files keep
// working with no network. Pages: network first, the kept copy when offline. Static files: the kept
// copy first, refreshed from the network behind it (a new walk.js reaches the phone on the next load).
// A checkpoint's address (/safety/c/<code>/) offline is answered with the kept scan page, which queues
// the scan on the phone.
var CACHE = "houqin-patrol-v3";
var SHELL = "/safety/c/_/";

self.addEventListener("install", function (event) { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  // the copies kept by an older version of this worker go (their files may be out of date)
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("houqin-patrol-") === 0 && name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

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
        var fresh = fetch(request).then(function (response) {
          if (response.ok) cache.put(request, response.clone());
          return response;
        });
        if (!hit) return fresh;
        fresh.catch(function () {});  // offline: the kept copy is the answer
        return hit;
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
