// Caller safety on an active contact's card: the flag standing on the caller (a suspected
// perpetrator posing as a victim), or a form to raise one. The flag is kept on the server against a
// keyed hash of the number; the number never reaches the browser, and a withheld number cannot be flagged.
import * as api from "./api.js";
import { h, setText } from "./dom.js";

export const MAX_REASON = 500;
const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "Europe/London" });
const STATUS_TEXT = { Pending: "awaiting a supervisor's review", Confirmed: "confirmed by a supervisor" };

/** The words a flag is shown in, on the ringing offer and on the contact. */
export function flagBanner(flag, { compact = false } = {}) {
  return h("div", { class: "caller-flag", "data-state": "flagged" },
    h("p", {}, h("strong", {}, "Flagged caller: "), "suspected perpetrator posing as a victim."),
    h("p", {}, h("span", { class: "visually-hidden" }, "Reason: "), `“${flag.reason}”`),
    compact ? null : h("p", { class: "hint" },
      `Flag ${STATUS_TEXT[flag.status] ?? flag.status}; raised ${day.format(new Date(flag.raisedAt))}, stops applying ${day.format(new Date(flag.expiresAt))}. ` +
      "Earlier contacts from this caller are not shown."));
}

export function callerFlagSection(contact) {
  const element = h("div", { class: "caller-safety", "data-state": "loading" }, h("p", {}, "Checking caller safety…"));
  load(contact, element);
  return element;
}

async function load(contact, element) {
  const result = await safely(() => api.request("GET", `/api/contacts/${encodeURIComponent(contact.contactId)}/caller-flag`));
  if (!result?.ok || !result.json) {
    element.dataset.state = "unknown";
    const retry = h("button", { type: "button", class: "button small quiet", onclick: () => load(contact, element) }, "Check again");
    element.replaceChildren(h("p", {}, "Whether this caller is flagged could not be checked. ", retry));
    return;
  }
  show(contact, element, result.json);
}

function show(contact, element, { withheld, flag }) {
  if (flag) {
    element.dataset.state = "flagged";
    element.replaceChildren(flagBanner(flag));
    return;
  }
  if (withheld) {
    element.dataset.state = "withheld";
    element.replaceChildren(h("p", { class: "hint" }, "Number withheld: this caller cannot be flagged."));
    return;
  }
  element.dataset.state = "none";
  element.replaceChildren(flagForm(contact, element));
}

function flagForm(contact, element) {
  const id = `flag-${contact.contactId}`;
  const reason = h("textarea", { id: `${id}-reason`, rows: "3", maxlength: String(MAX_REASON), required: true, "aria-describedby": `${id}-hint ${id}-error` });
  const error = h("p", { id: `${id}-error`, class: "field-error" });
  const submit = h("button", { type: "submit", class: "button" }, "Flag caller");
  const form = h("form", { class: "flag-form", novalidate: true },
    h("label", { for: reason.id }, "Why do you suspect this caller?"),
    h("p", { id: `${id}-hint`, class: "hint" },
      `Up to ${MAX_REASON} characters. Every later contact from this number will show the flag, a supervisor reviews it, and it stops applying after a while.`),
    reason, error, submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = reason.value.trim();
    if (!text) {
      setText(error, "Say why you suspect this caller.");
      reason.focus();
      return;
    }
    submit.disabled = true;
    const result = await safely(() => api.request("POST", `/api/contacts/${encodeURIComponent(contact.contactId)}/caller-flag`, { body: { reason: text } }));
    submit.disabled = false;
    if (result?.status === 201 || result?.status === 409) {
      await load(contact, element);
      return;
    }
    setText(error, result?.json?.errors?.reason?.[0] ?? result?.json?.detail ?? "The flag could not be saved. Try again.");
    reason.focus();
  });
  return h("details", { class: "flag-caller" }, h("summary", {}, "Flag this caller as a suspected perpetrator"), form);
}

async function safely(call) {
  try {
    return await call();
  } catch {
    return null;
  }
}
