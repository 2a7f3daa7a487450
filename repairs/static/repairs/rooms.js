// The room picker of the repair form: a search box above the grouped list (building · floor → room).
// Typing keeps the rooms whose name or building matches; one match is chosen at once.
(function () {
  "use strict";
  function setup(select) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control mb-2";
    input.placeholder = select.getAttribute("data-room-search");
    input.setAttribute("data-testid", "room-search");
    input.setAttribute("aria-label", select.getAttribute("data-room-search"));
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = [];
      Array.prototype.forEach.call(select.querySelectorAll("option"), function (option) {
        if (!option.value) return;
        var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
        var text = (group + " " + option.textContent).toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        option.hidden = !match;
        if (match) shown.push(option);
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (shown.length === 1) select.value = shown[0].value;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-room-search]"), setup);
  });
})();
