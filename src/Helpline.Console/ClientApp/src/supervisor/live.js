// The live dashboard: drawn from each DashboardChanged push (/hubs/supervisor); waits and time in
// status tick every second from the server's times. Supervisors put an advisor on Break or back.
import { formatDuration, parseTime, serverNow, spokenDuration } from "../clock.js";
import { byId, h, setText, show } from "../dom.js";
import { statusLabel } from "../labels.js";
import { count, percent, REASONS, seconds } from "./format.js";

const BREAK_REASONS = [
  ["lunch", "Lunch"],
  ["training", "Training"],
  ["debrief", "Debrief"],
  ["other", "Other"],
];

let dashboard = null;
let ticker = null;

/** actions: { setStatus(advisorId, status, reason) → Promise, acknowledgeUrgent(contactId) → Promise } */
export function render(next, actions) {
  dashboard = next;
  const calls = next.calls ?? [];
  const advisors = next.advisors ?? [];
  setText(byId("live-as-of"), `Updated ${new Date(parseTime(next.asOf)).toLocaleTimeString("en-GB")}.`);
  setText(byId("live-waiting"), count(calls.filter((c) => c.position > 0).length));
  setText(byId("live-available"), count(advisors.filter((a) => a.status === "Available").length));
  setText(byId("live-emails"), count(next.emailBacklog));

  show(byId("calls-table"), calls.length > 0);
  show(byId("calls-empty"), calls.length === 0);
  byId("calls-body").replaceChildren(
    ...calls.map((c) =>
      h(
        "tr",
        {},
        h("th", { scope: "row" }, c.position === 0 ? "Ringing" : String(c.position)),
        h("td", { "data-since": c.enteredAt, class: "ticking" }, ""),
        h("td", {}, c.priority > 0 ? `Raised (${c.priority})` : "Normal"),
        h("td", {}, c.ringingAtUserName ?? "–"),
      ),
    ),
  );

  show(byId("advisors-table"), advisors.length > 0);
  show(byId("advisors-empty"), advisors.length === 0);
  byId("advisors-body").replaceChildren(...advisors.map((a) => advisorRow(a, actions)));

  renderToday(next.today);
  renderUrgent(next.urgent ?? [], actions);
  tick();
  if (!ticker) ticker = window.setInterval(tick, 1000);
}

export function stop() {
  window.clearInterval(ticker);
  ticker = null;
  dashboard = null;
}

function advisorRow(advisor, actions) {
  const name = advisor.userName;
  const status = statusLabel(advisor.status) + (advisor.reason ? ` (${advisor.reason})` : "");
  const next = advisor.pendingStatus ? `${statusLabel(advisor.pendingStatus)} after this contact` : "";
  let action = h("span", {}, "–");
  if (advisor.status === "Break") {
    action = h(
      "button",
      { type: "button", class: "button small", "aria-label": `Back to Available: ${name}`, onclick: () => actions.setStatus(advisor.advisorId, "Available", null, name) },
      "Back to Available",
    );
  } else if (advisor.status !== "Offline") {
    const selectId = `break-${advisor.advisorId}`;
    const select = h("select", { id: selectId }, BREAK_REASONS.map(([value, label]) => h("option", { value }, label)));
    action = h(
      "span",
      { class: "break-group" },
      h("label", { for: selectId, class: "visually-hidden" }, `Break reason for ${name}`),
      select,
      h(
        "button",
        { type: "button", class: "button small", "aria-label": `Put on break: ${name}`, onclick: () => actions.setStatus(advisor.advisorId, "Break", select.value, name) },
        "Put on break",
      ),
    );
  }
  return h(
    "tr",
    {},
    h("th", { scope: "row" }, name),
    h("td", { "data-status": advisor.status }, status),
    h("td", advisor.since ? { "data-since": advisor.since, class: "ticking" } : {}, advisor.since ? "" : "–"),
    h("td", {}, next || "–"),
    h("td", {}, action),
  );
}

function renderToday(today) {
  const u = today.unanswered;
  const items = [
    ["Calls received", count(today.received)],
    ["Offered (in hours)", count(today.offered)],
    ["Answered", count(today.answered)],
    ["Answer rate (answered / offered)", percent(today.answerRate)],
    [`Service level: answered within ${today.serviceLevelThresholdSeconds} s / answered`, percent(today.serviceLevel)],
    ["Unanswered", count(u.total)],
    ...REASONS.map(([key, label]) => [`· ${label}`, count(u[key])]),
    ["Still waiting or ringing", count(today.stillOpen)],
    ["Longest wait today", seconds(today.longestWaitSeconds)],
    ["Callers never answered today", count(today.callersNeverAnswered)],
  ];
  byId("today").replaceChildren(...items.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
}

function renderUrgent(flags, actions) {
  show(byId("urgent"), flags.length > 0);
  byId("urgent-list").replaceChildren(
    ...flags.map((f) => {
      const contact = String(f.contactId).slice(0, 8);
      return h(
        "li",
        {},
        `Contact ${contact} marked urgent at ${new Date(parseTime(f.raisedAt)).toLocaleTimeString("en-GB")} `,
        h(
          "button",
          { type: "button", class: "button small", "aria-label": `Acknowledge the urgent flag on contact ${contact}`, onclick: () => actions.acknowledgeUrgent(f.contactId) },
          "Acknowledge",
        ),
      );
    }),
  );
}

function tick() {
  if (!dashboard) return;
  const now = serverNow();
  for (const cell of document.querySelectorAll("#live [data-since]")) {
    const since = parseTime(cell.dataset.since);
    const elapsed = now - since;
    setText(cell, formatDuration(elapsed));
    cell.setAttribute("aria-label", spokenDuration(elapsed));
  }
  const oldest = parseTime(dashboard.oldestCallEnteredAt);
  const longest = byId("live-longest");
  setText(longest, oldest === null ? "–" : formatDuration(now - oldest));
  longest.setAttribute("aria-label", oldest === null ? "No call waiting" : `Longest wait now: ${spokenDuration(now - oldest)}`);
}
