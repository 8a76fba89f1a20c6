// The supervisors' review of caller flags (suspected perpetrators posing as victims): the flags that
// stand, pending review first, each confirmed or dismissed. The number is never shown: the server
// keeps only its keyed hash.
import * as api from "../api.js";
import { byId, h, show } from "../dom.js";
import { showError, showNote } from "../messages.js";

const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/London" });
const STATUS_TEXT = { Pending: "Awaiting review", Confirmed: "Confirmed" };

export function wire() {
  byId("flags-refresh").addEventListener("click", load);
}

export async function load() {
  let result;
  try {
    result = await api.request("GET", "/api/caller-flags");
  } catch {
    result = null;
  }
  if (!result?.ok || !Array.isArray(result.json)) {
    showError("The caller flags could not be loaded. Try Refresh.");
    return;
  }
  const list = byId("flags-list");
  list.replaceChildren(...result.json.map(item));
  show(byId("flags-empty"), result.json.length === 0);
}

function item(flag) {
  const titleId = `flag-${flag.flagId}-title`;
  const button = (decision, text, primary) =>
    h("button", { type: "button", class: primary ? "button primary" : "button", onclick: (e) => review(flag, decision, e.currentTarget) }, text);
  return h("li", { class: "card flag-review", "data-status": flag.status },
    h("h2", { id: titleId }, `${STATUS_TEXT[flag.status] ?? flag.status}: raised by ${flag.raisedBy ?? "a former account"} on ${day.format(new Date(flag.raisedAt))}`),
    h("p", {}, `“${flag.reason}”`),
    h("p", { class: "hint" },
      `${flag.laterContacts} later contact${flag.laterContacts === 1 ? "" : "s"} from this caller. Stops applying ${day.format(new Date(flag.expiresAt))}.`,
      flag.reviewedAt ? ` Reviewed by ${flag.reviewedBy ?? "a former account"} on ${day.format(new Date(flag.reviewedAt))}.` : ""),
    h("div", { class: "actions" },
      flag.status === "Pending" ? button("Confirmed", "Confirm flag", true) : null,
      button("Dismissed", "Dismiss flag", false)));
}

async function review(flag, decision, buttonElement) {
  buttonElement.disabled = true;
  let result;
  try {
    result = await api.request("POST", `/api/caller-flags/${encodeURIComponent(flag.flagId)}/review`, { body: { decision } });
  } catch {
    result = null;
  }
  buttonElement.disabled = false;
  if (result?.ok) {
    showNote(decision === "Confirmed" ? "The flag is confirmed." : "The flag is dismissed: it no longer applies.");
  } else {
    showError(result?.json?.detail ?? "The review could not be saved. Try again.");
  }
  await load();
}
