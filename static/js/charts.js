// Every chart of the application: a <canvas data-chart="ID"> is drawn from the configuration
// in <script id="ID" type="application/json"> (json_script; supervision/charts.py makes it).
// Chart.js is vendored in static/vendor/chartjs; the page gives the same numbers in a table.
(function () {
  "use strict";

  if (typeof Chart === "undefined") {
    return;
  }

  function dataset(series, type) {
    return {
      label: series.label,
      data: series.values,
      borderColor: series.color,
      backgroundColor: series.color,
      borderDash: series.dashed ? [6, 4] : [],
      pointStyle: series.pointStyle,
      pointRadius: type === "line" ? 4 : undefined,
      spanGaps: true,
    };
  }

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    const config = JSON.parse(source.textContent);
    const y = { beginAtZero: true, stacked: config.stacked };
    if (config.yMax !== null && config.yMax !== undefined) {
      y.max = config.yMax;
    }
    if (config.yTitle) {
      y.title = { display: true, text: config.yTitle };
    }
    new Chart(canvas, {
      type: config.type,
      data: {
        labels: config.labels,
        datasets: config.series.map(function (series) {
          return dataset(series, config.type);
        }),
      },
      options: {
        // Numbers in tooltips and on the axes as the page's language writes them (12,5 in
        // Indonesian), not as the browser's.
        locale: document.documentElement.lang || undefined,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { labels: { usePointStyle: true } } },
        scales: { x: { stacked: config.stacked }, y: y },
      },
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
