// The guard's scan queue, kept on the phone (localStorage): every scan has a client id made here, so
// the server counts it once however often it is sent. Shared by the round page and the scan page.
(function () {
  var KEY = "houqin-patrol-queue";

  function read() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function write(items) { window.localStorage.setItem(KEY, JSON.stringify(items)); }
  function uuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = new Uint8Array(16); window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  var sending = false;
  var again = false;

  // send every queued scan, oldest first; onResult(item, status, body) for each answer
  function flush(api, onResult) {
    if (sending) { again = true; return Promise.resolve(); }  // sent right after the one under way
    sending = true;
    again = false;
    var items = read();
    var chain = Promise.resolve();
    items.forEach(function (item) {
      chain = chain.then(function () {
        return fetch(api, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
          body: JSON.stringify(item),
        }).then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            // signed out (401) or a stale CSRF token / session (403): the scan is kept and sending stops
            // until the guard signs in again — never dropped for a reason that is not the scan's
            var signedOut = response.status === 401 || response.status === 403;
            if (response.status < 500 && !signedOut) {  // answered: recorded (201), had it (200), refused (4xx)
              write(read().filter(function (q) { return q.client_id !== item.client_id; }));
            }
            if (onResult) onResult(item, response.status, body);
            if (signedOut) throw new Error("signed out");
          });
        });
      });
    });
    var failed = false;
    return chain.catch(function () { failed = true; /* no network, or signed out: the rest stays queued */ }).then(function () {
      sending = false;
      if (again && !failed) return flush(api, onResult);
    });
  }

  window.houqinPatrolQueue = {
    add: function (scan) {
      scan.client_id = scan.client_id || uuid();
      scan.device_time = scan.device_time || new Date().toISOString();
      var items = read(); items.push(scan); write(items);
      return scan;
    },
    items: read,
    flush: flush,
  };
})();
