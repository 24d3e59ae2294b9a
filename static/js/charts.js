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

    // A unit's last 12 months for a work line's main indicators: one line at a time (the legend switches, the
    // y-axis fits the one shown), so tons and kilometres never share a scale. A click on a point opens that month.
    trend(data) {
      const selected = {};
      const first = data.series.find((item) => item.has_data) || data.series[0];
      data.series.forEach((item) => { selected[item.name] = item === first; });
      return {
        animationDuration: 300,
        tooltip: { trigger: "axis", confine: true },
        legend: { type: "scroll", top: 0, selectedMode: "single", selected },
        grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.labels, boundaryGap: false },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map((item) => ({
          name: item.name, type: "line", data: item.values, connectNulls: false, symbolSize: 7,
          itemStyle: { color: "#b71c1c" }, areaStyle: { opacity: 0.08 },
        })),
      };
    },

    // How many of each work line's figures are 预警 / 关注 / 良好 / 无评价: stacked bars, a line per row; a click
    // on a line opens its cards (the url is the section's anchor).
    status(data) {
      const colours = { red: "#dc3545", yellow: "#ffc107", green: "#198754", grey: "#adb5bd" };
      return {
        animationDuration: 300,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: data.names, inverse: true, axisTick: { show: false }, triggerEvent: true },
        series: data.series.map((item) => ({
          name: item.name, type: "bar", stack: "status", data: item.values, barMaxWidth: 18,
          itemStyle: { color: colours[item.status] },
        })),
      };
    },

    // Villages ranked by one indicator, highest on top; the target and the pace the year so far asks for are marked.
    ranking(data) {
      const marks = [];
      // The two labels sit at opposite ends of their lines, so close lines don't print over each other.
      const mark = (value, name, color, position) => ({
        xAxis: value, name, lineStyle: { color, type: "dashed" }, label: { formatter: name, color, position },
      });
      if (data.target !== null) marks.push(mark(data.target, data.target_label, "#198754", "start"));
      if (data.pace !== null) marks.push(mark(data.pace, data.pace_label, "#fd7e14", "end"));
      const line = data.target !== null ? data.pace ?? data.target : null;
      return {
        animationDuration: 300,
        tooltip: {
          trigger: "axis", axisPointer: { type: "shadow" }, confine: true,
          valueFormatter: (value) => (value === null || value === undefined ? "—" : `${value} ${data.unit}`),
        },
        grid: { left: 8, right: 24, top: 24, bottom: 20, containLabel: true },
        xAxis: { type: "value", name: data.unit, nameGap: 4, axisLabel: { hideOverlap: true } },
        yAxis: { type: "category", data: data.names, inverse: true, axisTick: { show: false }, triggerEvent: true },
        series: [{
          type: "bar", data: data.values, barMaxWidth: 16,
          // Below the line the year asks for by now: red; otherwise the party red's calmer sister.
          itemStyle: { color: (item) => (line !== null && (item.value ?? 0) < line ? "#dc3545" : "#e07a5f") },
          markLine: marks.length ? { symbol: "none", data: marks } : undefined,
        }],
      };
    },
  };

  // A chart whose data carries `urls` opens the page behind a point or a bar on click (the drill-down). In a
  // ranking a click anywhere on a village's row, its name included, counts: a short bar is a small target on a phone.
  // A trend opens a month only from its point, so a tap beside the line still just shows the tooltip.
  function linkClicks(chart, data) {
    if (!Array.isArray(data.urls)) return;
    const open = (index) => {
      const url = data.urls[index];
      if (url) window.location.href = url;
    };
    chart.on("click", (params) => {
      open(params.componentType === "yAxis" ? data.names.indexOf(params.value) : params.dataIndex);
    });
    if (!Array.isArray(data.names)) return;
    chart.getZr().on("click", (event) => {
      const point = [event.offsetX, event.offsetY];
      if (event.target || !chart.containPixel({ gridIndex: 0 }, point)) return;
      open(Math.round(chart.convertFromPixel({ gridIndex: 0 }, point)[1]));
    });
  }

  function draw(element) {
    const source = document.getElementById(element.dataset.chart);
    const build = kinds[element.dataset.chartKind];
    if (!source || !build || typeof echarts === "undefined") return;
    const data = JSON.parse(source.textContent);
    const chart = echarts.init(element, null, { locale: "ZH", renderer: "canvas" });
    chart.setOption(build(data));
    linkClicks(chart, data);
    element.dataset.chartReady = "true";
    window.addEventListener("resize", () => chart.resize());
    window.addEventListener("beforeprint", () => chart.resize());
  }

  // A chart inside a closed <details> (a work line's 更多) has no size yet: it is drawn when first opened.
  function drawWhenShown(element) {
    const closed = element.closest("details:not([open])");
    if (!closed) { draw(element); return; }
    closed.addEventListener("toggle", () => { if (closed.open && !element.dataset.chartReady) draw(element); });
  }

  // A link to a section's anchor (#line-…) opens that section when it is a closed <details>.
  function openTarget() {
    const target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && target.tagName === "DETAILS") target.open = true;
  }

  document.addEventListener("DOMContentLoaded", () => {
    openTarget();
    document.querySelectorAll("[data-chart]").forEach(drawWhenShown);
  });
  window.addEventListener("hashchange", openTarget);
})();
