// Draws every chart of a page from its JSON data island: <canvas data-chart="ID"> reads the
// Chart.js configuration in <script type="application/json" id="ID">. No inline script, so the
// Content-Security-Policy stays strict; each chart has a table with the same numbers beside it.
(function () {
  function draw() {
    if (typeof Chart === "undefined") return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var island = document.getElementById(canvas.dataset.chart);
      if (!island) return;
      var config = JSON.parse(island.textContent);
      config.options = config.options || {};
      config.options.animation = false;
      config.options.maintainAspectRatio = false;
      // Vietnamese number format on axes and tooltips (86,44).
      var locale = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
      config.options.locale = locale;
      new Chart(canvas, config);
      canvas.dataset.drawn = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
