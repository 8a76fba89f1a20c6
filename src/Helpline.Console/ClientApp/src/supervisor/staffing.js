// Staffing estimates: the what-if calculator and needed-against-staffed for the report's range.
// Everything here is a model's estimate, and the words say so.
import * as api from "../api.js";
import { byId } from "../dom.js";
import { showError } from "../messages.js";
import { destroyCharts, seriesChart } from "./charts.js";
import { count, decimal, percent, seconds } from "./format.js";
import { chosen } from "./reports.js";

export function wire() {
  byId("whatif-form").addEventListener("submit", (event) => {
    event.preventDefault();
    whatIf();
  });
  byId("needed-show").addEventListener("click", needed);
}

const value = (id) => byId(id).value.trim();
const share = (id) => (value(id) === "" ? null : Number(value(id)) / 100);

async function whatIf() {
  const parameters = {
    callsPerHour: value("whatif-calls"),
    handleTimeSeconds: String(Number(value("whatif-handle")) * 60),
    thresholdSeconds: value("whatif-threshold"),
    serviceLevelTarget: String(share("whatif-sl")),
    maxAbandonRate: String(share("whatif-abandon")),
    maxOccupancy: String(share("whatif-occupancy")),
    shrinkage: String(share("whatif-shrinkage")),
  };
  if (value("whatif-patience")) parameters.patienceSeconds = value("whatif-patience");
  if (value("whatif-advisors")) parameters.advisors = value("whatif-advisors");
  const result = byId("whatif-result");
  destroyCharts(result);
  try {
    const response = await api.request("GET", `/api/staffing/what-if?${new URLSearchParams(parameters)}`);
    if (!response.ok) {
      showError(Object.values(response.json?.errors ?? {}).flat().join(" ") || "The estimate could not be made.");
      return;
    }
    const w = response.json;
    const threshold = parameters.thresholdSeconds;
    const sentences = [w.summary];
    sentences.push(
      w.erlangC
        ? `For ${value("whatif-sl")}% answered within ${threshold} s if nobody hung up (Erlang C): about ${w.erlangC.advisors} advisors on the phones, ${w.erlangC.scheduled} to schedule after shrinkage.`
        : "No number of advisors reaches that service level (Erlang C).",
    );
    if (w.erlangA) {
      sentences.push(`For at most ${value("whatif-abandon")}% of callers hanging up with a mean patience of ${value("whatif-patience")} s (Erlang A): about ${w.erlangA.advisors} advisors on the phones, ${w.erlangA.scheduled} to schedule.`);
    }
    const rows = w.byAdvisors;
    const chart = seriesChart({
      id: "chart-whatif",
      title: "Estimated service by number of advisors",
      summary: `Estimate: ${sentences.join(" ")}`,
      labels: rows.map((r) => String(r.advisors)),
      series: [
        { label: `Answered within ${threshold} s (Erlang C), %`, values: rows.map((r) => r.erlangC.serviceLevel * 100), type: "line" },
        ...(w.erlangA ? [{ label: "Callers who hang up (Erlang A), %", values: rows.map((r) => r.erlangA.abandonProbability * 100), type: "line" }] : []),
      ],
      yTitle: "%",
      table: {
        columns: ["Advisors", `SL(${threshold} s), Erlang C`, "Average wait, Erlang C", "Hang up, Erlang A", `SL(${threshold} s), Erlang A`, "Occupancy"],
        rows: rows.map((r) => [
          String(r.advisors),
          percent(r.erlangC.serviceLevel),
          seconds(r.erlangC.averageSpeedOfAnswerSeconds),
          percent(r.erlangA?.abandonProbability, 1),
          percent(r.erlangA?.serviceLevel),
          percent(r.erlangA?.occupancy ?? r.erlangC.occupancy),
        ]),
      },
    });
    result.replaceChildren(chart);
  } catch {
    showError("The estimate could not be made. Check your connection and try again.");
  }
}

async function needed() {
  const choice = chosen();
  const container = byId("needed-result");
  destroyCharts(container);
  try {
    const response = await api.request("GET", `/api/reports/staffing?${new URLSearchParams({ from: choice.from, to: choice.to, interval: "30m", threshold: choice.threshold })}`);
    if (!response.ok) {
      showError(Object.values(response.json?.errors ?? {}).flat().join(" ") || "The staffing estimate could not be made.");
      return;
    }
    const s = response.json;
    const a = s.assumptions;
    const rows = s.intervals;
    const more = s.moreAnswered.map((m) => `with ${m.extraAdvisors} more advisor${m.extraAdvisors === 1 ? "" : "s"} in every interval that had calls, about ${Math.round(m.moreAnswered)} more calls would have been answered`);
    const sentence = a.handleTimeSeconds === null
      ? "No call was handled in this range, so there is no handle time to estimate from."
      : `Estimate, with a handle time of ${seconds(a.handleTimeSeconds)} and ${a.patienceSeconds === null ? "no abandoned calls to measure patience from" : `a mean patience of ${seconds(a.patienceSeconds)}`}: ${more.length ? more.join("; ") : "no estimate of more answered calls without a measured patience"}.`;
    container.replaceChildren(
      seriesChart({
        id: "chart-needed",
        title: "Advisors needed (estimates) against advisors staffed, by interval",
        summary: sentence,
        labels: rows.map((r) => r.label),
        series: [
          { label: "Staffed (average)", values: rows.map((r) => r.staffedAdvisors) },
          { label: `Needed for ${percent(a.serviceLevelTarget)} in ${a.thresholdSeconds} s (Erlang C)`, values: rows.map((r) => r.erlangCAdvisors), type: "line" },
          { label: `Needed for at most ${percent(a.maxAbandonRate)} hanging up (Erlang A)`, values: rows.map((r) => r.erlangAAdvisors), type: "line" },
        ],
        yTitle: "Advisors",
        table: {
          columns: ["Interval", "Offered", "Answered", "Staffed", "Needed, Erlang C", "To schedule, Erlang C", "Needed, Erlang A", "To schedule, Erlang A", "Hang up at staffed (model)", ...s.moreAnswered.map((m) => `About more answered with ${m.extraAdvisors} more`)],
          rows: rows.map((r) => [
            r.label,
            count(r.offered),
            count(r.answered),
            decimal(r.staffedAdvisors),
            count(r.erlangCAdvisors),
            count(r.erlangCScheduled),
            count(r.erlangAAdvisors),
            count(r.erlangAScheduled),
            percent(r.modelAbandonRate),
            ...s.moreAnswered.map((m) => decimal(r.moreAdvisors.find((x) => x.extraAdvisors === m.extraAdvisors)?.moreAnswered)),
          ]),
        },
      }),
    );
  } catch {
    showError("The staffing estimate could not be made. Check your connection and try again.");
  }
}
