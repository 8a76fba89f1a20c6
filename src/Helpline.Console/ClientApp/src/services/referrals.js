// Supervisors' list of open referrals (GET /api/referrals/open), overdue ones first.
import * as api from "../api.js";
import { byId, h, setText } from "../dom.js";

const when = (iso) => (iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "");
const STATUS = { made: "Made, awaiting the service's answer", accepted: "Accepted, not done yet" };

export async function load() {
  const result = await api.request("GET", "/api/referrals/open").catch(() => null);
  if (!result?.ok) {
    setText(byId("referrals-status"), "Open referrals could not be loaded.");
    return;
  }
  const open = result.json;
  const overdue = open.filter((r) => r.overdue).length;
  setText(byId("referrals-status"), `${open.length} open referral${open.length === 1 ? "" : "s"}, ${overdue} overdue.`);
  byId("referrals-table").replaceChildren(open.length === 0 ? h("p", {}, "No open referrals.") : h("table", { class: "data-table" },
    h("caption", {}, "Open referrals, overdue first"),
    h("thead", {}, h("tr", {}, ["Service", "Status", "Made", "Due", "Overdue", "Email"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, open.map((r) => h("tr", { "data-overdue": String(r.overdue) },
      h("th", { scope: "row" }, r.serviceName),
      h("td", {}, STATUS[r.status] ?? r.status),
      h("td", {}, `${when(r.madeAt)}${r.steps[0]?.actorName ? ` by ${r.steps[0].actorName}` : ""}`),
      h("td", {}, when(r.dueAt)),
      h("td", {}, r.overdue ? "Overdue" : "No"),
      h("td", {}, r.emailStatus ?? "by phone"))))));
}
