// The directory screen (docs/directory.md, "The directory screen"), for advisors, supervisors and
// admins: search the services by area, relationship, risk band, status and words; each result shows
// its eligibility, referral method, hours and status and, when the search names a caller's facts, whether it
// fits and why not. Admins create and edit services (editor.js); supervisors and admins read a
// service's history (history.js). Sign-in is shared with the other pages.
import "../app.css";
import "./directory.css";
import * as api from "../api.js";
import { areaPicker } from "../area-picker.js";
import { byId, h, setText } from "../dom.js";
import * as signin from "../signin.js";
import * as editor from "./editor.js";
import * as history from "./history.js";
import { showSection } from "./sections.js";
import { RELATIONSHIPS, RISK_BANDS, STATUSES, eligibility, referral, status } from "./words.js";

let user = null;
let area = { localAuthorityCode: null, policeForceCode: null };
let picker = null;

const options = (select, first, pairs) =>
  select.replaceChildren(h("option", { value: "" }, first), ...pairs.map(([value, label]) => h("option", { value }, label)));

async function boot() {
  byId("signin-form").addEventListener("submit", signin.submitHandler(enter));
  byId("sign-out").addEventListener("click", signOut);
  byId("not-advisor-sign-out").addEventListener("click", signOut);
  api.onSessionEnded(() => signin.showSignIn({ note: "Your session has ended. Sign in again to carry on." }));
  options(byId("search-relationship"), "Any", RELATIONSHIPS);
  options(byId("search-risk"), "Any", RISK_BANDS);
  options(byId("search-status"), "Any", STATUSES);
  picker = areaPicker({ id: "search-area", value: area, onChange: (value) => { area = value; } });
  byId("search-area-field").append(picker.element);
  byId("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  byId("new-service").addEventListener("click", () => editor.open(null, afterSave));
  byId("history-close").addEventListener("click", backToSearch);
  editor.onClose(backToSearch);
  let current;
  try {
    current = await api.me();
  } catch {
    byId("boot").hidden = true;
    signin.showSignIn({ note: "The server could not be reached just now. Signing in will try again." });
    return;
  }
  byId("boot").hidden = true;
  if (current) enter(current);
  else signin.showSignIn();
}

function enter(signedIn) {
  if (!["advisor", "supervisor", "admin"].some((role) => signin.hasRole(signedIn, role))) {
    signin.showNotAdvisor(signedIn.userName);
    return;
  }
  user = signedIn;
  signin.hideSignIn();
  setText(byId("user-name"), user.userName);
  byId("nav-console").hidden = !signin.hasRole(user, "advisor");
  byId("nav-supervisor").hidden = !signin.hasRole(user, "supervisor");
  byId("nav-services").hidden = !signin.hasRole(user, "supervisor");
  byId("new-service").hidden = !isAdmin();
  const view = byId("console-view");
  view.hidden = false;
  view.inert = false;
  search();
}

const isAdmin = () => signin.hasRole(user, "admin");
const mayReadHistory = () => isAdmin() || signin.hasRole(user, "supervisor");

function showErrors(text) {
  byId("errors").replaceChildren(...(text ? [h("p", { class: "error-summary" }, text)] : []));
}

/** The search's caller facts as query parameters; empty when none is given (then the whole directory is listed). */
function facts() {
  const query = new URLSearchParams();
  if (area.localAuthorityCode) query.set("localAuthority", area.localAuthorityCode);
  else if (area.policeForceCode) query.set("policeForce", area.policeForceCode);
  if (byId("search-relationship").value) query.set("relationship", byId("search-relationship").value);
  if (byId("search-risk").value) query.set("riskBand", byId("search-risk").value);
  return query;
}

async function search() {
  showErrors("");
  setText(byId("results-status"), "Searching…");
  const query = facts();
  let services;
  let matching = null;
  try {
    [services, matching] = await Promise.all([
      api.request("GET", "/api/directory/services"),
      query.size ? api.request("GET", `/api/directory/match?${query}`) : Promise.resolve(null),
    ]);
  } catch {
    setText(byId("results-status"), "The directory could not be reached. Try again in a moment.");
    return;
  }
  if (!services.ok || (matching && !matching.ok)) {
    setText(byId("results-status"), "");
    const errors = matching?.json?.errors;
    showErrors(errors ? Object.values(errors).flat().join(" ") : "The directory could not be loaded.");
    return;
  }
  render(services.json, matching?.json ?? null);
}

function render(services, matching) {
  const byIdMap = new Map(services.map((s) => [s.id, s]));
  const wanted = byId("search-status").value;
  const words = byId("search-text").value.trim().toLowerCase();
  const keep = (s) =>
    (!wanted || s.data.status === wanted) &&
    (!words || [s.data.name, s.data.provider, s.data.notes, s.data.description, ...s.areaNames.map((a) => a.name)]
      .some((text) => text?.toLowerCase().includes(words)));
  let rows;
  if (matching) {
    rows = [...matching.matches, ...matching.nonMatches]
      .map((m) => ({ service: byIdMap.get(m.serviceId), match: m }))
      .filter((r) => r.service && keep(r.service));
  } else {
    rows = services.filter(keep).map((service) => ({ service, match: null }));
  }
  const fits = rows.filter((r) => r.match && r.match.outcome !== "noMatch").length;
  const more = matching?.notInAreaCount ? ` ${matching.notInAreaCount} more elsewhere (not in this area) are not listed.` : "";
  setText(byId("results-status"), matching
    ? `${fits} of ${rows.length} service${rows.length === 1 ? "" : "s"} listed fit${fits === 1 ? "s" : ""} the caller.${more}`
    : `${rows.length} service${rows.length === 1 ? "" : "s"}.`);
  byId("results").replaceChildren(...rows.map(({ service, match }) => result(service, match)));
}

const FIT_WORDS = { match: "Fits", check: "May fit: check", noMatch: "Does not fit" };

function result(service, match) {
  const d = service.data;
  const titleId = `service-${service.id}-title`;
  const actions = [];
  if (mayReadHistory()) {
    actions.push(h("button", { type: "button", class: "button small", "aria-label": `History of ${d.name}`, onclick: () => history.open(service) }, "History"));
  }
  if (isAdmin()) {
    actions.push(h("button", { type: "button", class: "button small", "aria-label": `Edit ${d.name}`, onclick: () => editor.open(service, afterSave) }, "Edit"));
  }
  return h("li", { class: "directory-service", "data-service": service.id, "data-outcome": match?.outcome ?? null, "aria-labelledby": titleId },
    h("h3", { id: titleId }, d.name, " ", h("span", { class: `scope ${service.scope}` }, service.scope === "local" ? "Local" : "National")),
    h("p", { class: "provider" }, d.provider),
    match ? h("p", { class: `fit ${match.outcome}` },
      h("strong", {}, FIT_WORDS[match.outcome]),
      match.reasons.length ? `: ${match.reasons.map((r) => r.text).join("; ")}` : "") : null,
    h("dl", { class: "facts" },
      h("dt", {}, "Areas"), h("dd", {}, service.areaNames.map((a) => a.name).join(", ")),
      h("dt", {}, "Eligibility"), h("dd", {}, eligibility(d)),
      h("dt", {}, "Referral"), h("dd", {}, referral(d)),
      h("dt", {}, "Hours"), h("dd", {}, d.hours || "Not given"),
      h("dt", {}, "Status"), h("dd", { class: "status" }, status(d))),
    actions.length ? h("div", { class: "actions" }, actions) : null);
}

function backToSearch() {
  showSection("search");
}

async function afterSave() {
  await search();
}

async function signOut() {
  await api.logout().catch(() => {});
  byId("console-view").hidden = true;
  signin.showSignIn({ note: "You have signed out." });
}

boot();
