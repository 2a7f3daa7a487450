// Houqin's in-page QR scanner: the phone's camera reads label after label without leaving the page.
//
// Markup comes from templates/ui/_qr_scanner.html (translated messages are data-msg-* attributes, no inline
// script). Each decoded code fires a cancelable "qrscan:code" event (detail.text) on the scanner element; unless
// a listener cancels it, the code goes into the target input (data-qr-target = its id) and, unless
// data-qr-submit="no", the input's form is submitted with requestSubmit() (so htmx forms stay in the page).
// The same code is ignored for a few seconds, so one label held in front of the camera records once.
// The camera needs a secure page (HTTPS, or localhost); elsewhere a photo of the label (file input with
// capture) is decoded instead, and typing the code always works.
(function () {
  "use strict";
  if (window.HouqinQR) { return; }

  var SAME_CODE_MS = 4000;
  var ANY_CODE_MS = 1200;
  var libPromise = null;

  function loadLibrary(src) {
    if (window.QrScanner) { return Promise.resolve(window.QrScanner); }
    if (!libPromise) {
      libPromise = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(window.QrScanner); };
        script.onerror = function () { libPromise = null; reject(new Error("load")); };
        document.head.appendChild(script);
      });
    }
    return libPromise;
  }

  function cameraPossible() {
    return !!(window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  function Scanner(root) {
    this.root = root;
    this.video = root.querySelector("[data-qr-video]");
    this.view = root.querySelector("[data-qr-view]");
    this.status = root.querySelector("[data-qr-status]");
    this.startButton = root.querySelector("[data-qr-start]");
    this.stopButton = root.querySelector("[data-qr-stop]");
    this.photo = root.querySelector("[data-qr-photo]");
    this.last = { text: null, at: 0 };
    this.engine = null;
    var self = this;
    if (!cameraPossible()) {
      this.startButton.classList.add("d-none");
      this.say(this.msg("insecure"), "muted");
    }
    this.startButton.addEventListener("click", function () { self.start(); });
    this.stopButton.addEventListener("click", function () { self.stop(); });
    if (this.photo) {
      this.photo.addEventListener("change", function () { self.readPhoto(); });
    }
    window.addEventListener("pagehide", function () { self.stop(); });
  }

  Scanner.prototype.msg = function (name, text) {
    var message = this.root.getAttribute("data-msg-" + name) || "";
    return text === undefined ? message : message.replace("{code}", text);
  };

  Scanner.prototype.say = function (text, tone) {
    this.status.textContent = text;
    this.status.className = "small mt-1 text-" + (tone || "body");
  };

  Scanner.prototype.start = function () {
    var self = this;
    this.say(this.msg("starting"), "muted");
    loadLibrary(this.root.getAttribute("data-qr-lib")).then(function (QrScanner) {
      if (!self.engine) {
        self.engine = new QrScanner(self.video, function (result) { self.decoded(result.data); }, {
          returnDetailedScanResult: true,
          highlightScanRegion: true,
          maxScansPerSecond: 8,
          onDecodeError: function (error) {
            // "No QR code found" on most frames is normal; anything else (the decoder failed) is worth a note
            if (String(error).indexOf(QrScanner.NO_QR_CODE_FOUND) === -1) { window.console.warn("qrscan", error); }
          },
        });
      }
      self.view.classList.remove("d-none");
      return self.engine.start();
    }).then(function () {
      self.root.setAttribute("data-qr-active", "");
      self.startButton.classList.add("d-none");
      self.stopButton.classList.remove("d-none");
      self.say(self.msg("scanning"), "muted");
    }).catch(function (error) {
      self.view.classList.add("d-none");
      var denied = error && (error.name === "NotAllowedError" || /denied|permission/i.test(String(error)));
      self.say(self.msg(denied ? "denied" : "nocamera"), "danger");
    });
  };

  Scanner.prototype.stop = function () {
    if (this.engine) { this.engine.stop(); }
    this.root.removeAttribute("data-qr-active");
    this.view.classList.add("d-none");
    this.stopButton.classList.add("d-none");
    if (cameraPossible()) { this.startButton.classList.remove("d-none"); }
  };

  Scanner.prototype.readPhoto = function () {
    var self = this;
    var file = this.photo.files && this.photo.files[0];
    if (!file) { return; }
    loadLibrary(this.root.getAttribute("data-qr-lib")).then(function (QrScanner) {
      return QrScanner.scanImage(file, { returnDetailedScanResult: true });
    }).then(function (result) {
      self.last = { text: null, at: 0 };  // a photo is a deliberate act: never ignored
      self.decoded(result.data);
    }).catch(function () {
      self.say(self.msg("notfound"), "danger");
    }).then(function () { self.photo.value = ""; });
  };

  Scanner.prototype.decoded = function (text) {
    var now = Date.now();
    text = (text || "").trim();
    if (!text) { return; }
    if (now - this.last.at < ANY_CODE_MS || (text === this.last.text && now - this.last.at < SAME_CODE_MS)) {
      if (text === this.last.text) { this.last.at = now; }
      return;
    }
    this.last = { text: text, at: now };
    this.say(this.msg("read", text), "success");
    if (navigator.vibrate) { navigator.vibrate(60); }
    var event = new CustomEvent("qrscan:code", { bubbles: true, cancelable: true, detail: { text: text } });
    if (!this.root.dispatchEvent(event)) { return; }
    var input = document.getElementById(this.root.getAttribute("data-qr-target") || "");
    if (!input) { return; }
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    if (this.root.getAttribute("data-qr-submit") !== "no" && input.form) {
      if (input.form.requestSubmit) { input.form.requestSubmit(); } else { input.form.submit(); }
    }
  };

  function init(scope) {
    var roots = (scope || document).querySelectorAll("[data-qr-scanner]:not([data-qr-ready])");
    Array.prototype.forEach.call(roots, function (root) {
      root.setAttribute("data-qr-ready", "");
      root.houqinScanner = new Scanner(root);
    });
  }

  window.HouqinQR = { init: init, active: function () { return !!document.querySelector("[data-qr-active]"); } };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
