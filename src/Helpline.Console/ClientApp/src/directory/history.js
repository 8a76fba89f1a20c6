// A service's history (GET /api/directory/history/service/{id}), newest first: every version with
// who made it, when, how (created, updated, imported) and each changed field's value before and after.
import * as api from "../api.js";
import { byId, h, setText } from "../dom.js";
import { showSection } from "./sections.js";

const when = (iso) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
const CHANGE_WORDS = { seeded: "Shipped with the project", created: "Created", updated: "Edited", imported: "Imported (CSV)" };
const value = (v) => (v === null || v === undefined || (Array.isArray(v) && v.length === 0) ? "(none)" : Array.isArray(v) ? v.join(", ") : String(v));

export async function open(service) {
  setText(byId("history-title"), `History of ${service.data.name}`);
  setText(byId("history-status"), "Loading the history…");
  byId("history-table").replaceChildren();
  showSection("history");
  const result = await api.request("GET", `/api/directory/history/service/${encodeURIComponent(service.id)}`).catch(() => null);
  if (!result?.ok) {
    setText(byId("history-status"), result?.status === 404 ? "No change has been recorded for this service." : "The history could not be loaded.");
    return;
  }
  const entries = result.json;
  setText(byId("history-status"), `${entries.length} version${entries.length === 1 ? "" : "s"}, newest first.`);
  byId("history-table").replaceChildren(h("table", { class: "data-table history" },
    h("caption", {}, `Changes to ${service.data.name}`),
    h("thead", {}, h("tr", {}, ["Version", "When", "Who", "Change", "What changed"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, entries.map((entry, i) => {
      const before = entries[i + 1]?.snapshot ?? null;
      return h("tr", { "data-version": entry.version },
        h("th", { scope: "row" }, String(entry.version)),
        h("td", {}, when(entry.at)),
        h("td", {}, entry.actorName ?? "the seed data"),
        h("td", {}, CHANGE_WORDS[entry.change] ?? entry.change),
        h("td", {}, entry.changedFields.length && before
          ? h("ul", { class: "changes" }, entry.changedFields.map((f) =>
            h("li", {}, h("strong", {}, f), `: ${value(before[f])} → ${value(entry.snapshot[f])}`)))
          : "First version"));
    }))));
}
