// Services for the caller, inside the contact record (docs/console-ui.md, "Services and referrals"):
// the matching list from GET /api/contacts/{id}/services, recomputed by the server from the saved
// record and fetched again after every save; every service that does not match says why. Beside
// each service that takes referrals: record the caller's consent, preview exactly what would be sent,
// and send it (email) or record it as made (phone). Then the contact's referrals with their steps,
// moved on from here. The server refuses what consent or the caller's safety does not allow; the
// refusals are shown as it gives them.
import * as api from "./api.js";
import { announce, h, setText } from "./dom.js";
import { FIELD_LABELS } from "./record-labels.js";

const DONE_REASONS = [
  ["clientRefused", "Client refused"],
  ["lackOfCapacity", "Lack of capacity"],
  ["noLongerNeeded", "No longer needed"],
  ["unableToContactClient", "Unable to contact client"],
  ["unableToContactService", "Unable to contact service"],
  ["other", "Other"],
];

const STATUS_WORDS = { made: "Made", accepted: "Accepted", rejected: "Rejected", withdrawn: "Withdrawn", done: "Done" };
const STEP_WORDS = { ...STATUS_WORDS, emailSent: "Email sent", emailSendFailed: "Email not sent" };
const METHOD_WORDS = { secureEmail: "Refer by secure email", phone: "Refer by phone", selfReferralOnly: "Self-referral only" };

const when = (iso) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
const contactPath = (contactId, rest) => `/api/contacts/${encodeURIComponent(contactId)}/${rest}`;

/** The panel for one contact: { element, refresh() }. */
export function servicesPanel(contactId) {
  const titleId = `services-${contactId}-title`;
  const status = h("p", { class: "services-status", role: "status" }, "Matching services…");
  const matches = h("ol", { class: "service-list", "aria-label": "Matching services" });
  const nonMatches = h("ul", { class: "service-list non-matches", "aria-label": "Services that do not match" });
  const elsewhere = h("p", { class: "hint" }, "");
  const referrals = h("div", { class: "referrals" });
  const element = h("section", { class: "services", "aria-labelledby": titleId },
    h("h4", { id: titleId }, "Services for this caller"),
    status,
    matches,
    h("details", { class: "non-matching" }, h("summary", {}, "Services that do not match, and why"), nonMatches, elsewhere),
    h("h4", {}, "Referrals"),
    referrals);
  let generation = 0;
  let latest = null;

  async function refresh() {
    const mine = ++generation;
    let services;
    let mineReferrals;
    try {
      [services, mineReferrals] = await Promise.all([
        api.request("GET", contactPath(contactId, "services")),
        api.request("GET", contactPath(contactId, "referrals")),
      ]);
    } catch {
      if (mine === generation) setText(status, "Services could not be loaded: they will show when the console reconnects.");
      return;
    }
    if (mine !== generation || !services.ok || !mineReferrals.ok) return;
    latest = { services: services.json, referrals: mineReferrals.json };
    render();
  }

  function render() {
    const { services, referrals: state } = latest;
    const local = services.matches.filter((m) => m.scope === "local").length;
    setText(status, `${local ? `${local} local` : "No local"} and ${services.matches.length - local} national service${services.matches.length - local === 1 ? "" : "s"} for what is recorded so far.`);
    matches.replaceChildren(...services.matches.map((m) => serviceItem(m, state)));
    nonMatches.replaceChildren(...services.nonMatches.map((m) =>
      h("li", { class: "service", "data-service": m.serviceId },
        h("span", { class: "service-name" }, m.name),
        " ",
        h("span", { class: `scope ${m.scope}` }, m.scope === "local" ? "Local" : "National"),
        h("span", { class: "reasons" }, `: ${m.reasons.map((r) => r.text).join("; ")}`))));
    setText(elsewhere, services.notInAreaCount ? `${services.notInAreaCount} more service${services.notInAreaCount === 1 ? " is" : "s are"} elsewhere (not in this area).` : "");
    referrals.replaceChildren(...(state.referrals.length ? state.referrals.map(referralItem) : [h("p", { class: "hint" }, "No referrals yet.")]));
  }

  function serviceItem(m, state) {
    const consent = state.consents.filter((c) => c.serviceId === m.serviceId && c.inForce).at(-1);
    const detailsId = `svc-${contactId}-${m.serviceId}`;
    const item = h("li", { class: "service", "data-service": m.serviceId, "data-outcome": m.outcome },
      h("span", { class: "service-name" }, m.name),
      " ",
      h("span", { class: `scope ${m.scope}` }, m.scope === "local" ? "Local" : "National"),
      m.outcome === "check" ? h("span", { class: "reasons" }, ` Check: ${m.reasons.map((r) => r.text).join("; ")}`) : null,
      h("span", { class: "service-how" }, [METHOD_WORDS[m.referralMethod], m.phone, m.hours].filter(Boolean).join(" · ")));
    if (m.referralMethod === "selfReferralOnly") return item;
    const open = state.referrals.some((r) => r.serviceId === m.serviceId && (r.status === "made" || r.status === "accepted"));
    const region = h("div", { class: "refer", id: detailsId, hidden: true });
    const toggle = h("button", { type: "button", class: "button small", "aria-expanded": "false", "aria-controls": detailsId, disabled: open },
      open ? "Referral open" : `Refer to ${m.name}`);
    toggle.addEventListener("click", () => {
      const show = region.hidden;
      region.hidden = !show;
      toggle.setAttribute("aria-expanded", String(show));
      if (show) region.replaceChildren(consent ? referForm(m, consent) : consentForm(m));
    });
    item.append(" ", toggle, region);
    return item;
  }

  function consentForm(m) {
    const boxes = m.referralFields.map((field) => {
      const boxId = `consent-${contactId}-${m.serviceId}-${field}`;
      return h("span", { class: "choice" }, h("input", { type: "checkbox", id: boxId, value: field, checked: true }), h("label", { for: boxId }, FIELD_LABELS[field] ?? field));
    });
    const error = h("p", { class: "field-error", role: "alert", hidden: true });
    const record = h("button", { type: "button", class: "button primary small" }, "Record the caller's consent");
    record.addEventListener("click", async () => {
      const fields = boxes.map((b) => b.querySelector("input")).filter((b) => b.checked).map((b) => b.value);
      const result = await api.request("POST", contactPath(contactId, "consents"), { body: { serviceId: m.serviceId, fields } });
      if (!result.ok) {
        error.hidden = false;
        setText(error, Object.values(result.json?.errors ?? {}).flat().join(" ") || "The consent could not be recorded.");
        return;
      }
      announce(`Consent to share with ${m.name} recorded.`);
      await refresh();
    });
    return h("fieldset", { class: "consent" },
      h("legend", {}, `What has the caller agreed ${m.name} may be told?`),
      h("p", { class: "hint" }, "Read each item to the caller. A referral carries these and nothing else."),
      error,
      h("div", { class: "choices" }, boxes),
      record);
  }

  function referForm(m, consent) {
    const nameId = `refer-${contactId}-${m.serviceId}-name`;
    const summaryId = `refer-${contactId}-${m.serviceId}-summary`;
    const name = m.referralFields.includes("name") ? h("input", { id: nameId, type: "text", maxlength: "200", autocomplete: "off" }) : null;
    const summary = m.referralFields.includes("summary") ? h("textarea", { id: summaryId, rows: "3", maxlength: "2000" }) : null;
    const preview = h("div", { class: "referral-preview" });
    const problems = h("div", { class: "field-error", role: "alert", hidden: true });
    const send = h("button", { type: "button", class: "button primary small", hidden: true },
      m.referralMethod === "secureEmail" ? `Send the referral to ${m.name}` : `Record the referral as made by phone`);
    const body = () => ({ serviceId: m.serviceId, name: name?.value || null, summary: summary?.value || null });
    const showProblems = (list) => {
      problems.hidden = list.length === 0;
      problems.replaceChildren(...list.map((p) => h("p", {}, p)));
    };
    const look = h("button", { type: "button", class: "button small" }, "Preview what will be sent");
    look.addEventListener("click", async () => {
      const result = await api.request("POST", contactPath(contactId, "referrals/preview"), { body: body() });
      if (!result.ok) {
        showProblems(Object.values(result.json?.errors ?? {}).flat());
        return;
      }
      const p = result.json;
      preview.replaceChildren(
        h("table", { class: "preview-fields" },
          h("caption", {}, m.referralMethod === "secureEmail" ? `Sent by email to ${p.to}` : `Tell ${m.name} on ${p.phone}`),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Field"), h("th", { scope: "col" }, "Value"))),
          h("tbody", {}, p.fields.map((f) => h("tr", {}, h("th", { scope: "row" }, f.label), h("td", {}, f.value))))));
      showProblems(p.refusals);
      send.hidden = p.refusals.length > 0;
    });
    send.addEventListener("click", async () => {
      send.disabled = true;
      const result = await api.request("POST", contactPath(contactId, "referrals"), { body: body() });
      send.disabled = false;
      if (!result.ok) {
        showProblems(result.json?.refusals ?? [result.json?.detail ?? "The referral could not be made."]);
        return;
      }
      announce(`Referral to ${m.name} made.`);
      await refresh();
    });
    const withdraw = h("button", { type: "button", class: "button small quiet" }, "The caller withdraws consent");
    withdraw.addEventListener("click", async () => {
      await api.request("POST", contactPath(contactId, `consents/${encodeURIComponent(consent.id)}/withdrawal`));
      announce(`Consent to share with ${m.name} withdrawn.`);
      await refresh();
    });
    return h("div", { class: "refer-form" },
      h("p", { class: "hint" }, `Consent recorded ${when(consent.givenAt)}: ${consent.fields.map((f) => FIELD_LABELS[f] ?? f).join(", ")}.`),
      name ? h("div", { class: "field" }, h("label", { for: nameId }, "Name the caller wants used"), name) : null,
      summary ? h("div", { class: "field" }, h("label", { for: summaryId }, `Summary for ${m.name}`), summary) : null,
      look, preview, problems, send, " ", withdraw);
  }

  function referralItem(r) {
    const steps = h("ol", { class: "steps" }, r.steps.map((s) =>
      h("li", {}, `${STEP_WORDS[s.type] ?? s.type}, ${when(s.at)}${s.actorName ? ` by ${s.actorName}` : ""}${s.reason ? ` (${s.reason})` : ""}`)));
    const item = h("article", { class: "referral", "data-status": r.status },
      h("p", {}, h("strong", {}, r.serviceName), ` · ${STATUS_WORDS[r.status] ?? r.status}${r.overdue ? " · overdue" : ""}${r.emailStatus ? ` · email ${r.emailStatus}` : ""}`),
      steps);
    if (r.status === "made" || r.status === "accepted") item.append(stepForm(r));
    return item;
  }

  function stepForm(r) {
    const base = `step-${r.id}`;
    const choice = h("select", { id: `${base}-status` },
      (r.status === "made" ? [["accepted", "Accepted"], ["rejected", "Rejected"]] : []).concat([["done-yes", "Done: successful"], ["done-no", "Done: not successful"], ["withdrawn", "Withdrawn"]])
        .map(([value, label]) => h("option", { value }, label)));
    const reason = h("select", { id: `${base}-reason` }, h("option", { value: "" }, "No reason"), DONE_REASONS.map(([value, label]) => h("option", { value }, label)));
    const note = h("input", { id: `${base}-note`, type: "text", maxlength: "500", autocomplete: "off" });
    const error = h("p", { class: "field-error", role: "alert", hidden: true });
    const go = h("button", { type: "button", class: "button small" }, "Update the referral");
    go.addEventListener("click", async () => {
      const value = choice.value;
      const status = value.startsWith("done") ? "done" : value;
      const body = {
        status,
        successful: status === "done" ? value === "done-yes" : null,
        reason: status === "done" ? reason.value || null : note.value || null,
      };
      const result = await api.request("POST", `/api/referrals/${encodeURIComponent(r.id)}/status`, { body });
      if (!result.ok) {
        error.hidden = false;
        setText(error, Object.values(result.json?.errors ?? {}).flat().join(" ") || result.json?.detail || "The referral could not be updated.");
        return;
      }
      announce(`Referral to ${r.serviceName}: ${STATUS_WORDS[status]}.`);
      await refresh();
    });
    return h("div", { class: "step-form" },
      h("label", { for: choice.id }, "Next step"), choice,
      h("label", { for: reason.id }, "Reason (done)"), reason,
      h("label", { for: note.id }, "Reason (rejected or withdrawn)"), note,
      go, error);
  }

  return { element, refresh };
}
