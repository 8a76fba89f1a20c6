// Unmet need by commissioning area (GET /api/reports/unmet-need): a bar per area (no eligible local
// service, by relationship), sortable, with its data table. Chart.js (MIT), bundled by esbuild, draws
// on a canvas through CSSOM only, so it runs under the page's Content-Security-Policy. The canvas is
// an image labelled by its caption and described by a summary; the table carries every figure, and
// every figure's heading links to its definition.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import * as api from "../api.js";
import { byId, h, setText } from "../dom.js";
import { anchor, CATEGORIES, FIGURES } from "./definitions.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Okabe–Ito colours, distinguishable with the common colour-vision deficiencies. */
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"];

let chart = null;
let report = null;

export function currentMonth(now = new Date()) {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", year: "numeric", month: "2-digit" }).formatToParts(now);
  return `${parts.find((p) => p.type === "year").value}-${parts.find((p) => p.type === "month").value}`;
}

export function wire() {
  const sort = byId("unmet-sort");
  sort.replaceChildren(
    ...FIGURES.map(([key, label]) => h("option", { value: key, selected: key === "noEligibleLocalService" }, label)),
    h("option", { value: "name" }, "Area name"));
  sort.addEventListener("change", () => report && render());
  byId("unmet-period").value = currentMonth();
  byId("unmet-form").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  byId("definitions-list").replaceChildren(...FIGURES.flatMap(([key, label, text]) => [h("dt", { id: anchor(key) }, label), h("dd", {}, text)]),
    h("dt", { id: anchor("byRelationship") }, "By relationship"),
    h("dd", {}, "No eligible local service, split by the caller's relationship to the stalker as recorded: a friend, acquaintance or neighbour counts as an acquaintance; not recorded is unknown."));
}

export async function load() {
  const period = byId("unmet-period").value.trim();
  const status = byId("unmet-status");
  setText(status, "Loading…");
  const result = await api.request("GET", `/api/reports/unmet-need?period=${encodeURIComponent(period)}`).catch(() => null);
  if (!result?.ok) {
    setText(status, result?.json?.detail ?? "The report could not be loaded.");
    return;
  }
  report = result.json;
  byId("unmet-csv").setAttribute("href", `/api/reports/unmet-need.csv?period=${encodeURIComponent(report.period.id)}`);
  render();
}

function sorted() {
  const key = byId("unmet-sort").value;
  const rows = [...report.areas, report.areaNotRecorded];
  return key === "name"
    ? rows.sort((a, b) => a.name.localeCompare(b.name, "en-GB"))
    : rows.sort((a, b) => b.figures[key] - a.figures[key] || a.name.localeCompare(b.name, "en-GB"));
}

function render() {
  const rows = sorted();
  const totals = report.totals;
  const worst = rows.filter((r) => r.figures.noEligibleLocalService > 0).slice(0, 3).map((r) => `${r.name} (${r.figures.noEligibleLocalService})`);
  const summary = `${report.period.label}: ${totals.contacts} contacts with an area recorded or not, ${totals.needingLocalSupport} needing local support, `
    + `${totals.noEligibleLocalService} with no eligible local service${worst.length ? `, most in ${worst.join(", ")}` : ""}.`;
  setText(byId("unmet-status"), summary);

  const caption = h("figcaption", { id: "unmet-chart-title" }, `No eligible local service, by relationship: ${report.period.label}`);
  const description = h("p", { id: "unmet-chart-summary", class: "hint" }, `${summary} Sorted by ${byId("unmet-sort").selectedOptions[0].textContent.toLowerCase()}. The table below has every figure.`);
  const canvas = h("canvas", { role: "img", "aria-labelledby": "unmet-chart-title", "aria-describedby": "unmet-chart-summary" });
  const holder = h("div", { class: "chart-holder" }, canvas);
  holder.style.height = `${Math.max(240, rows.length * 18 + 80)}px`;
  byId("unmet-chart").replaceChildren(h("figure", { class: "chart" }, caption, description, holder));
  chart?.destroy();
  chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: rows.map((r) => r.name),
      datasets: CATEGORIES.map(([key, label], i) => ({
        label,
        data: rows.map((r) => r.figures.noEligibleLocalServiceByRelationship[key]),
        backgroundColor: PALETTE[i % PALETTE.length],
        stack: "unmet",
      })),
    },
    options: {
      indexAxis: "y",
      animation: false,
      maintainAspectRatio: false,
      scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Contacts needing local support with no eligible local service" } }, y: { stacked: true } },
      plugins: { legend: { position: "bottom" } },
    },
  });

  const head = (key, label) => h("th", { scope: "col" }, h("a", { href: `#${anchor(key)}` }, label));
  byId("unmet-table").replaceChildren(h("table", { class: "data-table" },
    h("caption", {}, `Unmet need by commissioning area: ${report.period.label}`),
    h("thead", {},
      h("tr", {}, h("th", { scope: "col" }, "Area"), h("th", { scope: "col" }, "Commissioning body"),
        FIGURES.map(([key, label]) => head(key, label)),
        CATEGORIES.map(([key, label]) => h("th", { scope: "col" }, h("a", { href: `#${anchor("byRelationship")}` }, `No eligible: ${label.toLowerCase()}`))))),
    h("tbody", {}, rows.map((r) => h("tr", {},
      h("th", { scope: "row" }, r.name),
      h("td", {}, r.commissioningBodyName ?? ""),
      FIGURES.map(([key]) => h("td", { class: "number" }, String(r.figures[key]))),
      CATEGORIES.map(([key]) => h("td", { class: "number" }, String(r.figures.noEligibleLocalServiceByRelationship[key])))))),
    h("tfoot", {}, h("tr", {},
      h("th", { scope: "row" }, "All areas"), h("td", {}, ""),
      FIGURES.map(([key]) => h("td", { class: "number" }, String(totals[key]))),
      CATEGORIES.map(([key]) => h("td", { class: "number" }, String(totals.noEligibleLocalServiceByRelationship[key])))))));
}
