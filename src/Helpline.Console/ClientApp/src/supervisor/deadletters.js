// Messages the services gave up on and hold for a person (their error queues, their outbox's
// dead-letter table): per service, place and reason, with counts only, never a message's content.
// Once the cause is fixed, an operator replays them with the `dead-letters replay` command.
import * as api from "../api.js";
import { byId, h, setText, show } from "../dom.js";

const time = new Intl.DateTimeFormat("en-GB", { timeStyle: "medium", timeZone: "Europe/London" });
const SERVICE = { "Helpline.Intake": "Intake", "Helpline.Console": "Console" };

export function wire() {
  byId("dead-letters-refresh").addEventListener("click", load);
}

export async function load() {
  let result;
  try {
    result = await api.request("GET", "/api/dead-letters");
  } catch {
    result = null;
  }
  const status = byId("dead-letters-status");
  if (!result?.ok || !Array.isArray(result.json?.held)) {
    setText(status, "The dead letters could not be loaded. Try Refresh.");
    return;
  }
  const { held, reported } = result.json;
  const services = Object.entries(reported ?? {}).map(([name, at]) => `${SERVICE[name] ?? name} at ${time.format(new Date(at))}`);
  setText(status, services.length === 0
    ? "No service has reported yet (each reports every poll, by default every 30 seconds)."
    : `${held.length === 0 ? "Nothing is held." : `${held.reduce((sum, row) => sum + row.count, 0)} message(s) held.`} Counted by ${services.join(", ")}.`);
  byId("dead-letters-body").replaceChildren(...held.map((row) =>
    h("tr", {},
      h("td", {}, SERVICE[row.service] ?? row.service),
      h("td", {}, row.place),
      h("td", {}, row.reason ?? "not recorded"),
      h("td", { class: "number" }, String(row.count)))));
  show(byId("dead-letters-table"), held.length > 0);
}
