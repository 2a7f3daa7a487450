// Hygiene self-inspection on a phone: tapping "fail" opens the item's note and photo at once.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("[data-inspection-item] input[type=radio]")) return;
  var details = input.closest("[data-inspection-item]").querySelector("details");
  if (details && input.value === "fail") {
    details.open = true;
    var note = details.querySelector("input[type=text]");
    if (note) note.focus({ preventScroll: true });
  }
});
