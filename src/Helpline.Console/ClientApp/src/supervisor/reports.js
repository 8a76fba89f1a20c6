// Reports with charts: demand against capacity, unanswered by reason, the weekday × hour heat map of
// unanswered calls, and distinct callers never answered by week. Each chart comes with a sentence
// and its data table (charts.js); the CSV is the same report from the server.
import * as api from "../api.js";
import { byId, h, setText } from "../dom.js";
import { showError } from "../messages.js";
import { destroyCharts, heatMap, seriesChart } from "./charts.js";
import { count, decimal, percent, REASONS, seconds } from "./format.js";

const HOURS = Array.from({ length: 24 }, (_, hour) => `${String(hour).padStart(2, "0")}:00`);
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export function wire() {
  const today = new Date().toLocaleDateString("en-CA", { timeZone: "Europe/London" });
  byId("report-from").value = today;
  byId("report-to").value = today;
  byId("report-form").addEventListener("submit", (event) => {
    event.preventDefault();
    show();
  });
  for (const id of ["report-from", "report-to", "report-interval", "report-threshold"]) {
    byId(id).addEventListener("change", updateCsvLink);
  }
  updateCsvLink();
}

/** The range and interval chosen (for the staffing section too). */
export function chosen() {
  return {
    from: byId("report-from").value,
    to: byId("report-to").value,
    interval: byId("report-interval").value,
    threshold: byId("report-threshold").value,
  };
}

function query({ from, to, interval, threshold }) {
  return new URLSearchParams({ from, to, interval, threshold }).toString();
}

function updateCsvLink() {
  byId("report-csv").setAttribute("href", `/api/reports/intervals.csv?${query(chosen())}`);
}

export async function show() {
  const choice = chosen();
  const status = byId("report-status");
  setText(status, "Loading the report…");
  try {
    const weekly = { ...choice, interval: "week" };
    const [report, weeks, heat] = await Promise.all([
      api.request("GET", `/api/reports/intervals?${query(choice)}`),
      api.request("GET", `/api/reports/intervals?${query(weekly)}`),
      api.request("GET", `/api/reports/unanswered-by-hour?${new URLSearchParams({ from: choice.from, to: choice.to })}`),
    ]);
    const failed = [report, weeks, heat].find((r) => !r.ok);
    if (failed) {
      setText(status, "");
      showError(problemText(failed.json));
      return;
    }
    draw(report.json, weeks.json, heat.json);
    setText(status, `Report for ${report.json.totals.label} shown.`);
  } catch {
    setText(status, "");
    showError("The report could not be loaded. Check your connection and try again.");
  }
}

function problemText(problem) {
  const errors = Object.values(problem?.errors ?? {}).flat();
  return errors.length ? errors.join(" ") : problem?.title ?? "The report could not be made.";
}

/** Axis labels, shorter than the rows' own (the data tables keep those): "09:30", "Mon 3 Mar", "w/c 3 Mar", "Mar 2026". */
function axisLabel(row, interval, oneDay) {
  const start = new Date(`${row.localStart}Z`);
  const part = (options) => start.toLocaleString("en-GB", { timeZone: "UTC", ...options });
  const time = part({ hour: "2-digit", minute: "2-digit" });
  const label = {
    day: part({ weekday: "short", day: "numeric", month: "short" }),
    week: `w/c ${part({ day: "numeric", month: "short" })}`,
    month: part({ month: "short", year: "numeric" }),
  }[interval] ?? (oneDay ? time : `${part({ weekday: "short", day: "numeric" })} ${time}`);
  return row.clockChange ? `${label} (clocks changed)` : label;
}

function draw(report, weeks, heat) {
  const container = byId("report-charts");
  destroyCharts(container);
  const rows = report.intervals;
  const interval = { Day: "day", Week: "week", Month: "month" }[report.interval] ?? "minutes";
  const labels = rows.map((r) => axisLabel(r, interval, report.from === report.to));
  const t = report.totals;
  const threshold = report.definitions.serviceLevelThresholdSeconds;
  byId("report-summary").replaceChildren(summary(t, threshold, report.definitions.serviceLevel2CountsShortAbandons));

  const busiest = rows.reduce((best, r) => (r.calls.received > (best?.calls.received ?? -1) ? r : best), null);
  const demand = seriesChart({
    id: "chart-demand",
    title: "Demand against capacity: calls received and answered, and advisors staffed",
    summary:
      `${count(t.calls.received)} calls were received and ${count(t.calls.answered)} answered. ` +
      (busiest && busiest.calls.received > 0 ? `The busiest interval was ${busiest.label}, with ${count(busiest.calls.received)} calls and ${decimal(busiest.capacity.advisorsStaffedAverage)} advisors staffed on average.` : "No calls in this range."),
    labels,
    series: [
      { label: "Calls received", values: rows.map((r) => r.calls.received) },
      { label: "Calls answered", values: rows.map((r) => r.calls.answered) },
      { label: "Advisors staffed (average)", values: rows.map((r) => r.capacity.advisorsStaffedAverage ?? 0), type: "line" },
    ],
    yTitle: "Calls / advisors",
    table: {
      columns: ["Interval", "Received", "Answered", "Unanswered", "Advisors staffed (average)", "Occupancy", `SL(${threshold} s)`],
      rows: rows.map((r) => [r.label, count(r.calls.received), count(r.calls.answered), count(r.calls.unanswered.total), decimal(r.capacity.advisorsStaffedAverage), percent(r.capacity.occupancy), percent(r.service.serviceLevel)]),
    },
  });

  const reasons = REASONS.map(([key, label]) => ({ label, values: rows.map((r) => r.calls.unanswered[key]) }));
  const biggest = REASONS.map(([key, label]) => [label, t.calls.unanswered[key]]).sort((a, b) => b[1] - a[1])[0];
  const unanswered = seriesChart({
    id: "chart-unanswered",
    title: "Unanswered calls by reason",
    summary: t.calls.unanswered.total > 0
      ? `${count(t.calls.unanswered.total)} calls went unanswered; the largest reason was ${biggest[0].toLowerCase()} (${count(biggest[1])}).`
      : "No call went unanswered in this range.",
    labels,
    series: reasons,
    stacked: true,
    yTitle: "Calls",
    table: {
      columns: ["Interval", ...REASONS.map(([, label]) => label), "Total"],
      rows: rows.map((r) => [r.label, ...REASONS.map(([key]) => count(r.calls.unanswered[key])), count(r.calls.unanswered.total)]),
    },
  });

  const values = DAYS.map((day) => HOURS.map((_, hour) => heat.cells.find((c) => c.weekday === day && c.hour === hour)?.unanswered ?? 0));
  const worst = heat.cells.reduce((best, c) => (c.unanswered > (best?.unanswered ?? 0) ? c : best), null);
  const map = heatMap({
    id: "chart-heatmap",
    title: "Unanswered calls by weekday and hour (local time)",
    summary: worst ? `Most calls went unanswered on ${worst.weekday}s from ${HOURS[worst.hour]} (${count(worst.unanswered)} over the range).` : "No call went unanswered in this range.",
    rows: DAYS,
    columns: HOURS,
    values,
    table: { columns: ["Weekday", ...HOURS], rows: DAYS.map((day, d) => [day, ...values[d].map(count)]) },
  });

  const weekRows = weeks.intervals;
  const people = seriesChart({
    id: "chart-callers",
    title: "Distinct callers never answered, by week",
    summary: `${count(weeks.totals.callers.distinctNeverAnswered)} different callers (by number) were never answered in the range, and ${count(weeks.totals.callers.withheldCallsNeverAnswered)} calls from withheld numbers went unanswered.`,
    labels: weekRows.map((r) => axisLabel(r, "week", false)),
    series: [
      { label: "Callers never answered", values: weekRows.map((r) => r.callers.distinctNeverAnswered) },
      { label: "Withheld calls never answered", values: weekRows.map((r) => r.callers.withheldCallsNeverAnswered) },
    ],
    yTitle: "Callers",
    table: {
      columns: ["Week", "Distinct callers", "Never answered", "Withheld calls", "Withheld, never answered", "Attempts per caller"],
      rows: weekRows.map((r) => [r.label, count(r.callers.distinct), count(r.callers.distinctNeverAnswered), count(r.callers.withheldCalls), count(r.callers.withheldCallsNeverAnswered), decimal(r.callers.attemptsPerCaller)]),
    },
  });
  container.replaceChildren(demand, unanswered, map, people);
}

function summary(t, threshold, shortInSl2) {
  const u = t.calls.unanswered;
  const items = [
    ["Calls received", count(t.calls.received)],
    ["In hours / out of hours", `${count(t.calls.inHours)} / ${count(t.calls.outOfHours)}`],
    ["Offered", count(t.calls.offered)],
    ["Answered", count(t.calls.answered)],
    ["Answer rate (answered / offered)", percent(t.calls.answerRate)],
    ...REASONS.map(([key, label]) => [`Unanswered: ${label.toLowerCase()}`, count(u[key])]),
    ["Still waiting", count(t.calls.stillOpen)],
    ["Callbacks requested", count(t.calls.callbacksRequested)],
    ["Distinct callers (by number)", count(t.callers.distinct)],
    ["Distinct callers never answered", count(t.callers.distinctNeverAnswered)],
    ["Calls from withheld numbers", count(t.callers.withheldCalls)],
    [`SL(${threshold} s): answered within ${threshold} s / answered`, percent(t.service.serviceLevel)],
    [`SL2(${threshold} s): answered or abandoned within ${threshold} s / answered + abandoned${shortInSl2 ? " (short abandons counted)" : " (short abandons not counted)"}`, percent(t.service.serviceLevel2)],
    ["Average speed of answer", seconds(t.service.asaSeconds)],
    ["Longest wait", seconds(t.service.longestWaitSeconds)],
    ["Average handle time (talk + wrap-up)", seconds(t.service.ahtSeconds)],
    ["Occupancy", percent(t.capacity.occupancy)],
    ["Emails received", count(t.emails.received)],
    ["Email backlog at the end", count(t.emails.backlogAtEnd)],
  ];
  return h(
    "section",
    { class: "card", "aria-labelledby": "report-totals-title" },
    h("h2", { id: "report-totals-title" }, `Totals: ${t.label}`),
    h("dl", { class: "figures" }, items.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
  );
}
