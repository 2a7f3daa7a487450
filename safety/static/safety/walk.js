// The guard's round page: scans are queued on the phone (queue.js) and sent when there is a network.
(function () {
  var data = JSON.parse(document.getElementById("walk-data").textContent);
  var labels = {};
  document.getElementById("t-labels").content.querySelectorAll("[data-k]").forEach(function (el) {
    labels[el.dataset.k] = el.textContent;
  });
  var queue = window.houqinPatrolQueue;
  var stopsEl = document.getElementById("stops");
  var select = document.getElementById("stop-select");
  var proof = document.getElementById("proof-input");
  var message = document.getElementById("message");
  var net = document.getElementById("net");
  // what this phone already knows is done (a page served offline from the kept copy is older)
  var doneKey = "houqin-walk-done-" + data.round;
  var done = {};
  try { done = JSON.parse(window.localStorage.getItem(doneKey) || "{}"); } catch (e) { done = {}; }
  data.stops.forEach(function (s) { if (s.done) done[s.code] = true; });
  function keepDone() { window.localStorage.setItem(doneKey, JSON.stringify(done)); }

  function say(text, kind) {
    message.textContent = text;
    message.className = "alert alert-" + (kind || "warning");
  }
  function queuedHere() {
    return queue.items().filter(function (q) { return q.round === data.round; });
  }
  function render() {
    var queued = {};
    queuedHere().forEach(function (q) { queued[q.checkpoint] = true; });
    stopsEl.innerHTML = "";
    select.innerHTML = "";
    var count = 0;
    data.stops.forEach(function (s) {
      var li = document.createElement("li");
      li.className = "list-group-item d-flex align-items-center gap-2 py-3";
      li.dataset.code = s.code;
      var name = document.createElement("span");
      name.className = "me-auto"; name.textContent = s.name;
      var badge = document.createElement("span");
      if (done[s.code]) count += 1;
      badge.className = "badge text-bg-" + (done[s.code] ? "success" : queued[s.code] ? "info" : "secondary");
      badge.textContent = done[s.code] ? labels.done : queued[s.code] ? labels.queued : labels.todo;
      li.dataset.state = done[s.code] ? "done" : queued[s.code] ? "queued" : "todo";
      li.appendChild(name); li.appendChild(badge); stopsEl.appendChild(li);
      var option = document.createElement("option");
      option.value = s.code; option.textContent = s.position + ". " + s.name;
      select.appendChild(option);
    });
    var first = data.stops.filter(function (s) { return !(done[s.code] || queued[s.code]); })[0];
    if (first) select.value = first.code;
    toggleProof();
    document.getElementById("done").textContent = count;
    document.getElementById("total").textContent = data.stops.length;
    document.getElementById("bar").style.width = (data.stops.length ? (100 * count / data.stops.length) : 0) + "%";
    var waiting = queuedHere().length;
    var q = document.getElementById("queued");
    q.textContent = waiting ? " · " + waiting + " " + q.dataset.text : "";
    var complete = data.status === "complete" || data.stops.every(function (s) { return done[s.code]; });
    document.getElementById("complete").classList.toggle("d-none", !complete);
    document.getElementById("manual").classList.toggle("d-none", complete);
    document.getElementById("walk").dataset.state = complete ? "complete" : "walking";
  }
  function toggleProof() {
    var stop = data.stops.filter(function (s) { return s.code === select.value; })[0];
    var needs = stop && stop.proof !== "static";
    proof.classList.toggle("d-none", !needs);
    proof.required = !!needs;
  }
  function setNet() {
    var online = navigator.onLine;
    net.textContent = online ? net.dataset.onlineText : net.dataset.offlineText;
    net.className = "badge text-bg-" + (online ? "success" : "danger");
  }
  function onResult(item, status, body) {
    if (status === 200 || status === 201) {
      var flags = body.flags || [];
      if (body.round_status) data.status = body.round_status;
      if (flags.indexOf("code_not_valid") >= 0) {  // recorded and flagged: the guard reads the code again
        say(labels.code_not_valid, "danger");
        render();
        return;
      }
      done[item.checkpoint] = true;
      keepDone();
      var delay = (Date.now() - Date.parse(item.device_time)) / 1000;
      var words = flags.map(function (f) { return labels["flag_" + f] || f; }).join("、");
      say(labels.sent + (delay > 300 ? " (" + labels.late_hint + " " + Math.round(delay / 60) + " min)" : "") +
          (words ? " — " + labels.flagged + words : ""), words ? "warning" : "success");
    } else if (status === 401 || status === 403) {
      say(labels.signin, "danger");
    } else {
      var detail = body.detail || Object.values(body.errors || body || {}).join(" ");
      say(labels.refused + " " + detail, "danger");
    }
  }
  function send() {
    setNet();
    return queue.flush(data.api, onResult).then(render);
  }
  select.addEventListener("change", toggleProof);
  // the in-page camera scanner (ui/_qr_scanner.html): a checkpoint poster holds /safety/c/<code>/,
  // a rotating code's screen adds ?c=<digits>
  var scanner = document.querySelector("[data-qr-scanner]");
  if (scanner) {
    scanner.addEventListener("qrscan:code", function (event) {
      event.preventDefault();
      var text = (event.detail && event.detail.text) || "";
      var code = text, proofCode = "";
      var match = text.match(/\/safety\/c\/([^/?#]+)\/?(?:\?c=([0-9]+))?/);
      if (match) { code = match[1]; proofCode = match[2] || ""; }
      var stop = data.stops.filter(function (s) { return s.code === code; })[0];
      if (!stop) { say(labels.refused + " " + text); return; }
      select.value = stop.code;
      toggleProof();
      if (stop.proof !== "static" && !proofCode) { proof.focus(); say(labels.need_code); return; }
      queue.add({ checkpoint: stop.code, round: data.round, proof_code: proofCode });
      if (!navigator.onLine) say(labels.kept, "info");
      render();
      send();
    });
  }
  document.getElementById("manual").addEventListener("submit", function (event) {
    event.preventDefault();
    var stop = data.stops.filter(function (s) { return s.code === select.value; })[0];
    if (!stop) return;
    if (stop.proof !== "static" && !proof.value.trim()) { say(labels.need_code); return; }
    // a plain poster picked from the list, not read by the camera: recorded, flagged as chosen by hand
    queue.add({ checkpoint: stop.code, round: data.round, proof_code: proof.value.trim(), by_hand: stop.proof === "static" });
    proof.value = "";
    if (!navigator.onLine) say(labels.kept, "info");
    render();
    send();
  });
  // NFC tags (Web NFC: Chrome on Android over https): a tag read fills the selected checkpoint's code
  // and records the scan; everywhere else the button stays hidden and the id is typed.
  var nfcButton = document.getElementById("nfc-button");
  if (nfcButton && "NDEFReader" in window && data.stops.some(function (s) { return s.proof === "nfc"; })) {
    nfcButton.classList.remove("d-none");
    var reader = null;
    nfcButton.addEventListener("click", function () {
      if (reader) { say(labels.nfc_ready, "info"); return; }
      reader = new window.NDEFReader();
      reader.scan().then(function () {
        say(labels.nfc_ready, "info");
        reader.addEventListener("reading", function (event) {
          var stop = data.stops.filter(function (s) { return s.code === select.value; })[0];
          if (!stop || stop.proof !== "nfc") {
            stop = data.stops.filter(function (s) { return s.proof === "nfc" && !done[s.code]; })[0];
            if (stop) { select.value = stop.code; toggleProof(); }
          }
          if (!stop) return;
          proof.value = event.serialNumber || "";
          document.getElementById("manual").requestSubmit();
        });
        reader.addEventListener("readingerror", function () { say(labels.nfc_failed); });
      }).catch(function () { reader = null; say(labels.nfc_failed); });
    });
  }
  window.addEventListener("online", send);
  window.addEventListener("offline", setNet);
  window.setInterval(send, 15000);
  render();
  send();
})();
