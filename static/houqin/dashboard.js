// The district page's period form: show only the fields of the chosen kind (month, term, year, custom).
// Without JavaScript every field stays visible and the server reads the ones of the chosen kind.
(function () {
  function sync(form) {
    var kind = form.querySelector("[name=kind]");
    if (!kind) return;
    var wanted = { month: ["month"], term: ["term"], year: ["year"], custom: ["start", "end"] }[kind.value || "month"] || ["month"];
    form.querySelectorAll("[data-period-field]").forEach(function (box) {
      box.hidden = wanted.indexOf(box.dataset.periodField) < 0;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-testid=period-form]").forEach(function (form) {
      sync(form);
      form.querySelector("[name=kind]").addEventListener("change", function () { sync(form); });
    });
  });
})();
