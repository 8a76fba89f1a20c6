// Admins' form for one service (PUT /api/directory/services/{id}, If-Match its version or "0" to
// create): every field of the model. The server validates; its problem details' errors are shown
// beside their fields (aria-invalid, aria-describedby) and focus goes to the first.
import * as api from "../api.js";
import { announce, byId, focus, h, setText } from "../dom.js";
import { showSection } from "./sections.js";
import { REFERRAL_FIELDS, REFERRAL_METHODS, RISK_BANDS, SERVICE_GENDERS, SERVICE_RELATIONSHIPS, STATUSES } from "./words.js";

// [field, label, kind, hint or choices]. Kinds: text, textarea, date, number, select, checks, codes.
const FIELDS = [
  ["provider", "Provider", "text"],
  ["name", "Service name", "text"],
  ["description", "Description", "textarea"],
  ["commissioningBodyId", "Commissioning body", "select", "bodies"],
  ["fundedFrom", "Funded from", "date"],
  ["fundedUntil", "Funded until", "date"],
  ["areas", "Areas covered", "codes", "ONS codes separated by commas: a nation (E92000001 England, W92000004 Wales), police force areas (E23000033) or local authorities (E07000223)."],
  ["relationships", "Relationships to the stalker it takes", "checks", SERVICE_RELATIONSHIPS],
  ["riskBands", "Risk bands it takes", "checks", RISK_BANDS],
  ["minAge", "Youngest age", "number"],
  ["maxAge", "Oldest age", "number"],
  ["genders", "Genders it takes", "checks", SERVICE_GENDERS],
  ["referralMethod", "Referral method", "select", REFERRAL_METHODS],
  ["referralEmail", "Secure referral email address", "text"],
  ["phone", "Phone", "text"],
  ["website", "Website", "text"],
  ["referralFields", "What a referral carries", "checks", REFERRAL_FIELDS],
  ["hours", "Hours", "text"],
  ["status", "Status", "select", STATUSES],
  ["statusUntil", "Status until (expected date)", "date"],
  ["notes", "Notes", "textarea"],
  ["sources", "Sources", "textarea"],
];
const NONE_MEANS_ANY = "None ticked means any.";

let current = null; // the service being edited, or null when creating
let saved = () => {};
let closed = () => {};
let bodies = [];

export function onClose(listener) {
  closed = listener;
}

export async function open(service, onSaved) {
  current = service;
  saved = onSaved;
  const listed = await api.request("GET", "/api/directory/commissioning-bodies").catch(() => null);
  bodies = listed?.ok ? listed.json.map((b) => [b.id, b.name]) : [];
  setText(byId("editor-title"), service ? `Edit ${service.data.name}` : "New service");
  byId("editor-problem").hidden = true;
  byId("editor-form").onsubmit = (event) => {
    event.preventDefault();
    save();
  };
  byId("editor-form").replaceChildren(...form(service?.data ?? { status: "accepting", referralMethod: "phone" }));
  showSection("editor", { focusOn: byId(service ? "edit-provider" : "edit-id") });
}

const inputId = (field) => `edit-${field}`;
const errorId = (field) => `edit-${field}-error`;

function form(data) {
  const parts = [];
  if (!current) {
    parts.push(field("id", "Service id", "text", null, "", "Lower-case letters, digits and hyphens (veritas-justice); it cannot be changed later."));
  }
  for (const [name, label, kind, extra] of FIELDS) parts.push(field(name, label, kind, extra, data[name]));
  parts.push(h("div", { class: "actions" },
    h("button", { type: "submit", class: "button primary" }, "Save service"),
    h("button", { type: "button", class: "button", onclick: () => closed() }, "Cancel")));
  return parts;
}

function field(name, label, kind, extra, value, hint = null) {
  const id = inputId(name);
  const error = h("p", { class: "field-error", id: errorId(name), hidden: true });
  const hintText = kind === "codes" ? extra : kind === "checks" && name !== "referralFields" ? NONE_MEANS_ANY : hint;
  const hintElement = hintText ? h("p", { class: "hint", id: `${id}-hint` }, hintText) : null;
  const described = hintElement ? `${id}-hint` : null;
  if (kind === "checks") {
    const chosen = new Set(value ?? []);
    return h("fieldset", { class: "field", id: `${id}-field`, "aria-describedby": described },
      h("legend", {}, label), hintElement, error,
      h("div", { class: "choices" }, extra.map(([code, words]) => h("span", { class: "choice" },
        h("input", { type: "checkbox", id: `${id}-${code}`, name, value: code, checked: chosen.has(code) }),
        h("label", { for: `${id}-${code}` }, words)))));
  }
  let control;
  if (kind === "textarea") {
    control = h("textarea", { id, name, rows: "3" });
    control.value = value ?? "";
  } else if (kind === "select") {
    const choices = extra === "bodies" ? [["", "None"], ...bodies] : extra;
    control = h("select", { id, name }, choices.map(([code, words]) => h("option", { value: code, selected: code === (value ?? "") }, words)));
  } else {
    const type = kind === "date" ? "date" : kind === "number" ? "number" : "text";
    control = h("input", { id, name, type, autocomplete: "off", spellcheck: "false", inputmode: kind === "number" ? "numeric" : null });
    control.value = kind === "codes" ? (value ?? []).join(", ") : (value ?? "");
  }
  if (described) control.setAttribute("aria-describedby", described);
  return h("div", { class: "field", id: `${id}-field` }, h("label", { for: id }, label), hintElement, error, control);
}

function read() {
  const formElement = byId("editor-form");
  const data = {};
  for (const [name, , kind] of FIELDS) {
    if (kind === "checks") {
      data[name] = [...formElement.querySelectorAll(`input[name="${name}"]:checked`)].map((box) => box.value);
      continue;
    }
    const raw = byId(inputId(name)).value.trim();
    if (kind === "codes") data[name] = raw.split(",").map((code) => code.trim()).filter(Boolean);
    else if (kind === "number") data[name] = raw === "" ? null : Number(raw);
    else data[name] = raw === "" ? null : raw;
  }
  return data;
}

function clearErrors() {
  byId("editor-problem").hidden = true;
  for (const element of byId("editor-form").querySelectorAll(".field-error")) element.hidden = true;
  for (const element of byId("editor-form").querySelectorAll("[aria-invalid]")) {
    element.removeAttribute("aria-invalid");
    const hint = element.getAttribute("aria-describedby")?.split(" ").filter((id) => !id.endsWith("-error")).join(" ");
    if (hint) element.setAttribute("aria-describedby", hint);
    else element.removeAttribute("aria-describedby");
  }
  for (const element of byId("editor-form").querySelectorAll(".has-error")) element.classList.remove("has-error");
}

function showProblem(text) {
  setText(byId("editor-problem-text"), text);
  byId("editor-problem").hidden = false;
}

/** Shows each of the server's errors beside its field; returns the first control to fix. */
function showFieldErrors(errors) {
  let first = null;
  for (const [key, messages] of Object.entries(errors)) {
    const name = key.split(/[.[]/)[0].replace(/^./, (c) => c.toLowerCase());
    const error = document.getElementById(errorId(name));
    if (!error) continue;
    setText(error, messages.join(" "));
    error.hidden = false;
    const wrapper = byId(`${inputId(name)}-field`);
    wrapper.classList.add("has-error");
    const control = wrapper.matches("fieldset") ? wrapper : byId(inputId(name));
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), errorId(name)].filter(Boolean).join(" "));
    first ??= wrapper.matches("fieldset") ? wrapper.querySelector("input") : control;
  }
  return first;
}

async function save() {
  clearErrors();
  const id = current ? current.id : byId(inputId("id")).value.trim();
  const body = read();
  let result;
  try {
    result = await api.request("PUT", `/api/directory/services/${encodeURIComponent(id || "-")}`, {
      body,
      headers: { "If-Match": `"${current ? current.version : 0}"` },
    });
  } catch {
    showProblem("The server could not be reached. Nothing was saved: try again in a moment.");
    focus(byId("editor-problem"));
    return;
  }
  if (result.ok) {
    announce(`${result.json.data.name} saved.`);
    closed();
    await saved(result.json);
    return;
  }
  const problem = result.json ?? {};
  if (result.status === 412) {
    showProblem(`${problem.detail ?? "Someone else changed it."} Cancel and open it again to see their change.`);
    focus(byId("editor-problem"));
    return;
  }
  showProblem(`${problem.title ?? "The service was not saved."} Check the fields marked below.`);
  const first = showFieldErrors(problem.errors ?? {});
  focus(first ?? byId("editor-problem"));
}
