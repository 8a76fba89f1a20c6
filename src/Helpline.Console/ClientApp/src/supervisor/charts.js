// Charts for the supervisors' reports: Chart.js (MIT) and its matrix chart (for the heat map), bundled
// by esbuild with the page, nothing from a CDN. Chart.js draws on a canvas through CSSOM only (no
// inline style attributes, no injected <style>, no eval), so it works under the page's
// Content-Security-Policy. A canvas says nothing to a screen reader, so every chart is a <figure>
// with a caption, a sentence that sums it up, and the same figures as a data table: the canvas itself
// is marked as an image labelled by the caption and described by the summary.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { MatrixController, MatrixElement } from "chartjs-chart-matrix";
import { h } from "../dom.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip, MatrixController, MatrixElement);

/** Okabe–Ito colours (distinguishable with the common colour-vision deficiencies); lines also differ by dash. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];
const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];

const charts = new WeakMap();

/**
 * A figure with a chart, its summary and its data table.
 *   id: a stable id prefix; title: the caption; summary: one or two sentences.
 *   labels: the x axis (interval labels); series: [{ label, values, type: "bar"|"line" }].
 *   table: { columns: [header, …], rows: [[rowHeader, …cells], …] } (cells already formatted).
 */
export function seriesChart({ id, title, summary, labels, series, yTitle, stacked = false, table }) {
  const figure = frame(id, title, summary, table);
  const canvas = figure.querySelector("canvas");
  const datasets = series.map((s, i) => ({
    type: s.type ?? "bar",
    label: s.label,
    data: s.values,
    backgroundColor: PALETTE[i % PALETTE.length],
    borderColor: PALETTE[i % PALETTE.length],
    borderDash: s.type === "line" ? DASHES[i % DASHES.length] : undefined,
    borderWidth: s.type === "line" ? 2 : 0,
    pointRadius: s.type === "line" ? 2 : undefined,
    stack: stacked ? "all" : undefined,
  }));
  draw(canvas, {
    type: "bar",
    data: { labels, datasets },
    options: {
      ...common(),
      scales: {
        x: { stacked, ticks: { autoSkip: true, maxRotation: 0 } },
        y: { stacked, beginAtZero: true, title: { display: Boolean(yTitle), text: yTitle ?? "" }, ticks: { precision: 0 } },
      },
    },
  });
  return figure;
}

/**
 * A heat map: rows × columns of counts (e.g. weekdays × hours), darker for more.
 *   rows, columns: labels; values[row][column]: numbers.
 */
export function heatMap({ id, title, summary, rows, columns, values, table }) {
  const figure = frame(id, title, summary, table);
  const canvas = figure.querySelector("canvas");
  const max = Math.max(1, ...values.flat());
  const data = [];
  rows.forEach((row, r) => columns.forEach((column, c) => data.push({ x: column, y: row, v: values[r][c] })));
  draw(canvas, {
    type: "matrix",
    data: {
      datasets: [
        {
          label: title,
          data,
          backgroundColor: (context) => shade(context.raw?.v ?? 0, max),
          borderColor: "#767676",
          borderWidth: 1,
          width: ({ chart }) => (chart.chartArea?.width ?? 0) / columns.length - 1,
          height: ({ chart }) => (chart.chartArea?.height ?? 0) / rows.length - 1,
        },
      ],
    },
    options: {
      ...common(),
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { title: () => "", label: (context) => `${context.raw.y} ${context.raw.x}: ${context.raw.v}` } },
      },
      scales: {
        x: { type: "category", labels: columns, offset: true, grid: { display: false } },
        y: { type: "category", labels: rows, offset: true, grid: { display: false } },
      },
    },
  });
  return figure;
}

/** White to dark blue; the data table carries the numbers. */
function shade(value, max) {
  const t = Math.min(1, value / max);
  const mix = (from, to) => Math.round(from + (to - from) * t);
  return `rgb(${mix(255, 8)}, ${mix(255, 48)}, ${mix(255, 107)})`;
}

function common() {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { position: "bottom" } },
  };
}

function frame(id, title, summary, table) {
  const captionId = `${id}-caption`;
  const summaryId = `${id}-summary`;
  return h(
    "figure",
    { class: "chart", id },
    h("figcaption", { id: captionId, class: "chart-title" }, title),
    h("p", { id: summaryId, class: "chart-summary" }, summary),
    h("div", { class: "chart-box" }, h("canvas", { role: "img", "aria-labelledby": captionId, "aria-describedby": summaryId })),
    dataTable(title, table),
  );
}

/** The chart's figures as a table, in a disclosure so that the page stays short. */
export function dataTable(title, { columns, rows }) {
  return h(
    "details",
    { class: "chart-data" },
    h("summary", {}, `Data table: ${title}`),
    h(
      "div",
      { class: "table-scroll", tabindex: "0", role: "region", "aria-label": `${title}, data table` },
      h(
        "table",
        { class: "data" },
        h("caption", { class: "visually-hidden" }, title),
        h("thead", {}, h("tr", {}, columns.map((column) => h("th", { scope: "col" }, column)))),
        h(
          "tbody",
          {},
          rows.map(([head, ...cells]) => h("tr", {}, h("th", { scope: "row" }, head), cells.map((cell) => h("td", {}, cell)))),
        ),
      ),
    ),
  );
}

function draw(canvas, config) {
  charts.get(canvas)?.destroy();
  // Drawn once the figure is in the page (Chart.js measures its box).
  queueMicrotask(() => {
    if (!canvas.isConnected) return;
    charts.set(canvas, new Chart(canvas, config));
  });
}

/** Releases the charts inside an element that is about to be replaced. */
export function destroyCharts(container) {
  for (const canvas of container.querySelectorAll("canvas")) {
    charts.get(canvas)?.destroy();
    charts.delete(canvas);
  }
}
