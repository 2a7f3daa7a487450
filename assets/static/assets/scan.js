// Stock-take scan page: after each scan, clear the code field and focus it again for the next label.
(function () {
  "use strict";
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest ? event.target.closest("[data-scan-form]") : null;
    if (!form) { return; }
    var input = form.querySelector("input[name=code]");
    // while the camera scans, focusing the field would open the phone's keyboard over the picture
    if (input) { input.value = ""; if (!(window.HouqinQR && window.HouqinQR.active())) { input.focus(); } }
  });
  // A hardware scanner (keyboard wedge) types a whole URL then Enter: keep only what we need.
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("scan-code");
    if (input) { input.focus(); }
  });
})();
