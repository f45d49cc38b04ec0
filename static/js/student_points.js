// The student's points per week, awarded above the line and deducted below.
(function () {
  "use strict";
  var canvas = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var rows = JSON.parse(source.textContent);
  var labels = document.getElementById("trend-labels");
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: rows.map(function (r) { return r.week.slice(5); }),
      datasets: [
        { label: labels.dataset.plus, data: rows.map(function (r) { return r.plus; }), backgroundColor: "#198754" },
        { label: labels.dataset.minus, data: rows.map(function (r) { return r.minus; }), backgroundColor: "#dc3545" }
      ]
    },
    options: { animation: false, maintainAspectRatio: false, responsive: true, scales: { x: { stacked: true }, y: { stacked: true } } }
  });
})();
