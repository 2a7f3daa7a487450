// Houqin's only script of its own: no inline script anywhere (Content-Security-Policy).
document.addEventListener("change", function (event) {
  if (event.target.matches(".js-autosubmit")) {
    event.target.form.submit();
  }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
  var print = event.target.closest(".js-print");
  if (print) {
    event.preventDefault();
    window.print();
  }
});
// Charts: <canvas data-chart="id-of-json-script">; the JSON holds a Chart.js config.
function houqinCharts(root) {
  if (!window.Chart) return;
  root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    if (canvas.dataset.drawn) return;
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    canvas.dataset.drawn = "1";
    new window.Chart(canvas, JSON.parse(source.textContent));
  });
}
// The menu is cached per user and school: mark the current page's entry here.
function houqinActiveLink() {
  var best = null;
  document.querySelectorAll("[data-testid=nav] a.nav-link").forEach(function (link) {
    var path = link.getAttribute("href");
    if (path !== "/" && window.location.pathname.indexOf(path) === 0 && (!best || path.length > best.getAttribute("href").length)) {
      best = link;
    }
    if (path === "/" && window.location.pathname === "/") best = link;
  });
  if (best) best.classList.add("active", "fw-semibold");
}
document.addEventListener("DOMContentLoaded", function () { houqinCharts(document); houqinActiveLink(); });
document.addEventListener("htmx:afterSwap", function (event) { houqinCharts(event.target); });
