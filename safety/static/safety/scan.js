// /safety/c/<code>/ opened with the phone's camera: queue the scan of that checkpoint and send it.
(function () {
  var shell = document.getElementById("scan-shell");
  var state = document.getElementById("scan-state");
  var match = window.location.pathname.match(/\/safety\/c\/([^/]+)\/?$/);
  if (!match || match[1] === "_") { state.textContent = ""; return; }
  var queue = window.houqinPatrolQueue;
  var key = "houqin-scanned-" + match[1] + "-" + window.location.search;
  if (!window.sessionStorage.getItem(key)) {  // a reload does not scan twice
    queue.add({ checkpoint: match[1], proof_code: new URLSearchParams(window.location.search).get("c") || "" });
    window.sessionStorage.setItem(key, "1");
  }
  function show(status, body) {
    if (status === 200 || status === 201) state.textContent = state.dataset.sent + " · " + body.done + "/" + body.total;
    else if (status === 401 || status === 403) state.textContent = state.dataset.signin;
    else state.textContent = state.dataset.refused + " " + (body.detail || Object.values(body.errors || body || {}).join(" "));
    shell.dataset.state = String(status);
  }
  state.textContent = state.dataset.kept;
  queue.flush(shell.dataset.api, function (item, status, body) { if (item.checkpoint === match[1]) show(status, body); });
  window.addEventListener("online", function () { queue.flush(shell.dataset.api); });
})();
