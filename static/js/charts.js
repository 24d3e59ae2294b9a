// Charts drawn with ECharts (served from node_modules by whitenoise). A chart is an element with data-chart naming
// the json_script element that holds its data and data-chart-kind naming the drawing below; no inline script.
(function () {
  "use strict";

  const kinds = {
    // A village's collective income: monthly bars, the cumulated line, and the 5万 / 10万 lines.
    income(data) {
      const line = (value, name, color) => ({
        yAxis: value, name, lineStyle: { color, type: "dashed" }, label: { formatter: name, color },
      });
      return {
        animationDuration: 300,
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: ["当月收入", "累计收入"] },
        grid: { left: 60, right: 50, top: 40, bottom: 30 },
        xAxis: { type: "category", data: data.months },
        // Keep the 10万 line in view even while the village is far below it.
        yAxis: { type: "value", name: "元", max: (extent) => Math.ceil(Math.max(extent.max, data.strong_line * 1.1) / 10000) * 10000 },
        series: [
          { name: "当月收入", type: "bar", data: data.monthly, itemStyle: { color: "#f4a261" } },
          {
            name: "累计收入", type: "line", data: data.cumulative, itemStyle: { color: "#b71c1c" },
            markLine: { symbol: "none", data: [line(data.weak_line, "5万元", "#0d6efd"), line(data.strong_line, "10万元", "#198754")] },
          },
        ],
      };
    },
  };

  function draw(element) {
    const source = document.getElementById(element.dataset.chart);
    const build = kinds[element.dataset.chartKind];
    if (!source || !build || typeof echarts === "undefined") return;
    const chart = echarts.init(element, null, { locale: "ZH", renderer: "canvas" });
    chart.setOption(build(JSON.parse(source.textContent)));
    element.dataset.chartReady = "true";
    window.addEventListener("resize", () => chart.resize());
    window.addEventListener("beforeprint", () => chart.resize());
  }

  document.addEventListener("DOMContentLoaded", () => document.querySelectorAll("[data-chart]").forEach(draw));
})();
