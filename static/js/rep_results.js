/* A rep's results: Chart.js charts of actual against target, from json_script data. */
(function () {
  "use strict";
  const source = document.getElementById("results-charts");
  if (!source || typeof Chart === "undefined") return;
  const charts = JSON.parse(source.textContent);
  const words = JSON.parse(document.getElementById("results-chart-labels").textContent);
  const palette = ["#0d6efd", "#198754", "#6f42c1", "#fd7e14", "#20c997", "#d63384"];

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const chart = charts[canvas.dataset.chart];
    if (!chart) return;
    const datasets = [];
    chart.series.forEach(function (series, index) {
      const colour = palette[index % palette.length];
      datasets.push({
        type: "bar",
        label: series.label,
        data: series.actual,
        backgroundColor: colour + "99",
        borderColor: colour,
        borderWidth: 1,
      });
      datasets.push({
        type: "line",
        label: series.label + " · " + words.target,
        data: series.target,
        borderColor: colour,
        borderDash: [6, 4],
        pointRadius: 0,
        stepped: true,
        spanGaps: false,
        fill: false,
      });
    });
    new Chart(canvas, {
      data: { labels: chart.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true }, x: { ticks: { maxRotation: 0, autoSkip: true } } },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      },
    });
  });
})();
