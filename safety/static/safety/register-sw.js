// Register the patrol service worker (scope /safety/) and ask it to keep this page and its files.
(function () {
  if (!("serviceWorker" in navigator)) return;
  var urls = [window.location.pathname];
  document.querySelectorAll("script[src], link[rel=stylesheet][href], link[rel=manifest][href]").forEach(function (el) {
    urls.push(el.getAttribute("src") || el.getAttribute("href"));
  });
  navigator.serviceWorker.register("/safety/sw.js", { scope: "/safety/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    var worker = registration.active;
    if (!worker) return;
    var channel = new MessageChannel();
    channel.port1.onmessage = function () { document.documentElement.dataset.offlineReady = "1"; };
    worker.postMessage({ type: "cache", urls: urls }, [channel.port2]);
  }).catch(function () { /* no service worker: the page still works online */ });
})();
