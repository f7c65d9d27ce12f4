// The competency profile's chart: the final score of each semester, principal's appraisal and
// self-appraisal. Data through json_script; the same numbers stand in the table below it.
(function () {
  "use strict";

  const canvas = document.getElementById("competency-chart");
  const dataElement = document.getElementById("competency-chart-data");
  const labelsElement = document.getElementById("competency-chart-labels");
  if (!canvas || !dataElement || !labelsElement || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(dataElement.textContent);
  const labels = JSON.parse(labelsElement.textContent);

  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        {
          label: labels.principal,
          data: data.principal,
          borderColor: "#0d6efd",
          backgroundColor: "#0d6efd",
          spanGaps: true,
        },
        {
          label: labels.self,
          data: data.self,
          borderColor: "#fd7e14",
          backgroundColor: "#fd7e14",
          borderDash: [6, 4],
          spanGaps: true,
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: {
        y: { min: 0, max: 100, title: { display: true, text: labels.axis } },
      },
    },
  });
})();
