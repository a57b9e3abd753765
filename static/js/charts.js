// Draws the dashboards' charts: each chart is an empty <div> with its figure beside it in
// a <script type="application/json" data-chart-for="<div id>"> block (dashboards/charts.py).
// Kept out of the page so the Content-Security-Policy allows no inline script.
(function () {
  function draw() {
    if (!window.Plotly) return;
    document.querySelectorAll("script[type='application/json'][data-chart-for]").forEach(function (block) {
      var target = document.getElementById(block.getAttribute("data-chart-for"));
      if (!target) return;
      var figure = JSON.parse(block.textContent);
      window.Plotly.newPlot(target, figure.data, figure.layout, figure.config);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
