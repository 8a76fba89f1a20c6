// The contact record inside each active contact's card (docs/console-ui.md, "Contact record").
// Saved as the advisor types: every change not yet saved is kept in sessionStorage at once
// (DRAFT_PREFIX + contact id), and the whole record is sent to the server ~600 ms after the last
// change and when a field loses focus, with If-Match on the revision it was based on. Once saved,
// storage keeps only a marker (the contact id, channel and revision: nothing personal) and a reload
// loads the record from the server; a reload finds an unsaved draft in sessionStorage; a dropped
// connection retries; an ended session takes every draft out of storage but keeps it in the page,
// and saves it after the advisor signs in again (resumeRecords); another tab's save shows a choice,
// never a silent overwrite. Errors from the server appear beside their field. Sign-out clears it all.
import * as api from "./api.js";
import { areaPicker } from "./area-picker.js";
import { announce, h, setText } from "./dom.js";
import { AGE_GROUPS, BAND_WORDS, FOUR_PROMPTS, GENDERS, NEEDS, OUTCOMES, RELATIONSHIPS, REPORTED_TO_POLICE } from "./record-labels.js";
import { servicesPanel } from "./services-panel.js";

export const DRAFT_PREFIX = "helpline.draft.";
const SAVE_DELAY_MS = 600;
const RETRY_MS = 5000;
const NOTES_MAX = 4000;

const records = new Map(); // contactId -> controller
let questionnairePromise = null;
let postcodeLookupPromise = null;

const SAVE_TEXT = {
  loading: "Loading…",
  saved: "Saved",
  unsaved: "Not saved yet",
  saving: "Saving…",
  invalid: "Not saved: check the answers marked below",
  offline: "Not saved: no connection. Trying again…",
  signin: "Not saved: sign in again to save",
  conflict: "Not saved: changed elsewhere",
  gone: "Not saved: this record can no longer be changed here",
};

function emptyDraft() {
  return {
    four: { fixated: null, obsessive: null, unwanted: null, repeated: null },
    isStalking: null,
    relationship: null,
    reportedToPolice: null,
    ageGroup: null,
    gender: null,
    riskScreening: { version: null, answers: {} },
    safety: { safeToCallBack: null, callbackNumber: null, safeTimes: null, voicemailAllowed: null, safeToEmail: null, email: null },
    area: { localAuthorityCode: null, localAuthorityName: null, policeForceCode: null, policeForceName: null, outwardCode: null },
    needs: [],
    outcomes: [],
    notes: null,
    urgent: false,
  };
}

/** The editable part of a record the server sent (GET or PUT response). */
function draftFrom(view) {
  const draft = emptyDraft();
  Object.assign(draft.four, view.four ?? {});
  draft.isStalking = view.isStalking ?? null;
  draft.relationship = view.relationship ?? null;
  draft.reportedToPolice = view.reportedToPolice ?? null;
  draft.ageGroup = view.ageGroup ?? null;
  draft.gender = view.gender ?? null;
  draft.riskScreening = {
    version: Object.keys(view.riskScreening?.answers ?? {}).length ? view.riskScreening.version : null,
    answers: { ...(view.riskScreening?.answers ?? {}) },
  };
  Object.assign(draft.safety, view.safety ?? {});
  Object.assign(draft.area, view.area ?? {});
  draft.needs = [...(view.needs ?? [])];
  draft.outcomes = [...(view.outcomes ?? [])];
  draft.notes = view.notes ?? null;
  draft.urgent = Boolean(view.urgent);
  return draft;
}

function questionnaire() {
  questionnairePromise ??= api.request("GET", "/api/risk-screening").then((result) => {
    if (!result.ok || !Array.isArray(result.json?.questions)) throw new api.ServerUnavailable("No questionnaire.");
    return result.json;
  });
  questionnairePromise.catch(() => {
    questionnairePromise = null;
  });
  return questionnairePromise;
}

/** Whether the server has a postcode look-up turned on (asked once). */
function postcodeLookup() {
  postcodeLookupPromise ??= api.request("GET", "/api/areas/postcode").then((result) => Boolean(result.ok && result.json?.enabled));
  postcodeLookupPromise.catch(() => {
    postcodeLookupPromise = null;
  });
  return postcodeLookupPromise;
}

// ── Storage ──────────────────────────────────────────────────────────────────────────────────

/** The draft while it is not saved; once saved (or while the session has ended) only the marker. */
function store(ctl, { withDraft = ctl.dirty } = {}) {
  try {
    const marker = { channel: ctl.channel, revision: ctl.revision };
    const value = withDraft ? { ...marker, draft: ctl.draft, dirty: true } : marker;
    sessionStorage.setItem(DRAFT_PREFIX + ctl.contactId, JSON.stringify(value));
  } catch {
    // storage full or unavailable: the server copy is the only one
  }
}

function stored(contactId) {
  try {
    const value = JSON.parse(sessionStorage.getItem(DRAFT_PREFIX + contactId) ?? "null");
    return value && typeof value === "object" && typeof value.channel === "string" ? value : null;
  } catch {
    return null;
  }
}

function forget(contactId) {
  try {
    sessionStorage.removeItem(DRAFT_PREFIX + contactId);
  } catch {
    // nothing kept
  }
}

/** The contacts whose records this tab still holds (their cards were on screen when the page was left). */
export function storedContacts() {
  const contacts = [];
  try {
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i);
      if (!key?.startsWith(DRAFT_PREFIX)) continue;
      const contactId = key.slice(DRAFT_PREFIX.length);
      const value = stored(contactId);
      if (value) contacts.push({ contactId, channel: value.channel === "Email" ? "Email" : "Call" });
    }
  } catch {
    // storage unavailable: nothing kept
  }
  return contacts;
}

/**
 * The session has ended: nothing personal stays in storage. Each open record's unsaved changes stay
 * in the page (its records map) and are saved once the advisor signs in again.
 */
export function withdrawDrafts() {
  for (const ctl of records.values()) store(ctl, { withDraft: false });
  for (const { contactId, channel } of storedContacts()) {
    if (!records.has(contactId)) {
      try {
        sessionStorage.setItem(DRAFT_PREFIX + contactId, JSON.stringify({ channel, revision: stored(contactId)?.revision ?? 0 }));
      } catch {
        // storage unavailable: nothing kept
      }
    }
  }
}

/** Removes every draft this app kept in sessionStorage (called on sign-out). */
export function clearDrafts() {
  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const key = sessionStorage.key(i);
      if (key?.startsWith(DRAFT_PREFIX)) sessionStorage.removeItem(key);
    }
  } catch {
    // storage unavailable (private mode policies): nothing was kept
  }
}

// ── The section in the contact card ─────────────────────────────────────────────────────────

/** Builds the record section for one contact; returns the element to put in the contact's card. */
export function contactRecordSection(contact) {
  const contactId = contact.contactId;
  const titleId = `record-${contactId}-title`;
  const saveState = h("p", { class: "save-state", id: `record-${contactId}-state`, "data-state": "loading" }, SAVE_TEXT.loading);
  const banner = h("div", { class: "record-banner" });
  // The save state and any conflict sit in a bar that stays at the bottom of the screen while the
  // record is in view, so they are seen wherever the advisor is typing.
  const statusBar = h("div", { class: "record-status" }, saveState, banner);
  const section = h("section", { class: "record", "aria-labelledby": titleId },
    h("h3", { id: titleId }, "Contact record"),
    statusBar);
  const services = servicesPanel(contactId);
  section.insertBefore(services.element, statusBar);
  const kept = stored(contactId);
  const ctl = {
    contactId,
    channel: contact.channel,
    section,
    saveState,
    banner,
    statusBar,
    form: null,
    fields: new Map(), // error key -> { wrapper, error, controls }
    draft: kept?.draft ?? emptyDraft(),
    revision: kept?.draft ? kept.revision : 0,
    dirty: Boolean(kept?.draft && kept.dirty),
    loaded: false,
    inFlight: false,
    again: false,
    blocked: null, // "conflict" | "gone" | "signin"
    timer: null,
    retryTimer: null,
    disposers: [],
    riskResult: null,
    services,
    disposed: false,
  };
  records.set(contactId, ctl);
  build(ctl);
  load(ctl);
  return section;
}

/** The card went away (contact and wrap-up over, or signed out): a last save of unsaved changes. */
export function disposeRecord(contactId) {
  const ctl = records.get(contactId);
  if (!ctl) return;
  records.delete(contactId);
  ctl.disposed = true;
  window.clearTimeout(ctl.timer);
  window.clearTimeout(ctl.retryTimer);
  ctl.disposers.forEach((dispose) => dispose());
  if (!ctl.dirty) {
    forget(contactId);
    return;
  }
  if (ctl.blocked || !ctl.loaded) return;
  put(ctl)
    .then((result) => {
      if (result.ok) forget(contactId);
    })
    .catch(() => {});
}

/** After signing in again (or coming back online): load and save what is waiting. */
export function resumeRecords() {
  for (const ctl of records.values()) {
    if (ctl.blocked === "signin") ctl.blocked = null;
    if (!ctl.loaded) load(ctl);
    else if (ctl.dirty && !ctl.blocked) save(ctl);
  }
}

window.addEventListener("online", () => resumeRecords());

function showState(ctl, state) {
  ctl.saveState.dataset.state = state;
  setText(ctl.saveState, SAVE_TEXT[state] ?? state);
}

async function load(ctl) {
  let result;
  try {
    result = await api.request("GET", recordPath(ctl));
  } catch (error) {
    if (ctl.disposed) return;
    if (error instanceof api.SessionEnded) {
      ctl.blocked = "signin";
      showState(ctl, "signin");
    } else {
      showState(ctl, "offline");
      ctl.retryTimer = window.setTimeout(() => load(ctl), RETRY_MS);
    }
    return;
  }
  if (ctl.disposed) return;
  if (result.status === 401) {
    ctl.blocked = "signin";
    showState(ctl, "signin");
    return;
  }
  if (!result.ok || !result.json) {
    ctl.blocked = "gone";
    showState(ctl, "gone");
    return;
  }
  ctl.loaded = true;
  const server = result.json;
  if (!ctl.dirty) {
    ctl.draft = draftFrom(server);
    ctl.revision = server.revision;
    store(ctl);
    rebuild(ctl);
    showComputed(ctl, server);
    showState(ctl, server.revision === 0 ? "unsaved" : "saved");
    ctl.services.refresh();
  } else if (server.revision === ctl.revision) {
    save(ctl);
  } else {
    conflict(ctl, server.revision);
  }
}

function recordPath(ctl) {
  return `/api/contacts/${encodeURIComponent(ctl.contactId)}/record`;
}

function put(ctl) {
  const { localAuthorityCode, policeForceCode, outwardCode } = ctl.draft.area;
  const body = { ...ctl.draft, area: { localAuthorityCode, policeForceCode, outwardCode: outwardCode ?? null } };
  return api.request("PUT", recordPath(ctl), { body, headers: { "If-Match": `"${ctl.revision}"` } });
}

/** A change: keep it in sessionStorage now, send it shortly. */
function changed(ctl, { now = false } = {}) {
  ctl.dirty = true;
  store(ctl);
  if (ctl.blocked) return;
  showState(ctl, "unsaved");
  window.clearTimeout(ctl.timer);
  if (now) save(ctl);
  else ctl.timer = window.setTimeout(() => save(ctl), SAVE_DELAY_MS);
}

async function save(ctl) {
  window.clearTimeout(ctl.timer);
  window.clearTimeout(ctl.retryTimer);
  if (ctl.disposed || ctl.blocked || !ctl.loaded || !ctl.dirty) return;
  if (ctl.inFlight) {
    ctl.again = true;
    return;
  }
  ctl.inFlight = true;
  const sent = JSON.stringify(ctl.draft);
  showState(ctl, "saving");
  try {
    const result = await put(ctl);
    if (ctl.disposed) return;
    if (result.ok && result.json) {
      ctl.revision = result.json.revision;
      ctl.dirty = JSON.stringify(ctl.draft) !== sent;
      store(ctl);
      showErrors(ctl, {});
      showComputed(ctl, result.json);
      showState(ctl, ctl.dirty ? "unsaved" : "saved");
      ctl.services.refresh();
      ctl.again ||= ctl.dirty;
    } else if (result.status === 400) {
      showErrors(ctl, result.json?.errors ?? {});
      showState(ctl, "invalid");
      announce("The record was not saved: some answers need checking.");
    } else if (result.status === 401) {
      ctl.blocked = "signin";
      showState(ctl, "signin");
    } else if (result.status === 412) {
      conflict(ctl, result.json?.currentRevision);
    } else if (result.status === 404 || result.status === 403) {
      ctl.blocked = "gone";
      showState(ctl, "gone");
      announce("This record can no longer be saved from here.", { assertive: true });
    } else {
      retryLater(ctl);
    }
  } catch (error) {
    if (error instanceof api.SessionEnded) {
      ctl.blocked = "signin";
      showState(ctl, "signin");
    } else {
      retryLater(ctl);
    }
  } finally {
    ctl.inFlight = false;
    if (ctl.again && !ctl.blocked && !ctl.disposed) {
      ctl.again = false;
      save(ctl);
    }
  }
}

function retryLater(ctl) {
  showState(ctl, "offline");
  ctl.retryTimer = window.setTimeout(() => save(ctl), RETRY_MS);
}

/** Another tab or window saved first: the advisor chooses; nothing is overwritten silently. */
function conflict(ctl, currentRevision) {
  ctl.blocked = "conflict";
  showState(ctl, "conflict");
  const keep = h("button", { type: "button", class: "button" }, "Keep my version");
  const take = h("button", { type: "button", class: "button quiet" }, "Use the saved version");
  const box = h("div", { class: "message error conflict", role: "alert" },
    h("p", {}, "This record was saved somewhere else (another tab or window?) after you started, so your latest changes were not saved. Keep your version here, or load the saved one instead."),
    h("div", { class: "actions" }, keep, take));
  keep.addEventListener("click", () => {
    ctl.banner.replaceChildren();
    ctl.blocked = null;
    if (Number.isInteger(currentRevision)) {
      ctl.revision = currentRevision;
      save(ctl);
    } else {
      ctl.loaded = false;
      load(ctl);
    }
  });
  take.addEventListener("click", () => {
    ctl.banner.replaceChildren();
    ctl.blocked = null;
    ctl.dirty = false;
    ctl.loaded = false;
    load(ctl);
  });
  ctl.banner.replaceChildren(box);
}

// ── Errors beside fields ─────────────────────────────────────────────────────────────────────

function showErrors(ctl, errors) {
  const unplaced = [];
  for (const [key, field] of ctl.fields) {
    const messages = errors[key];
    const text = Array.isArray(messages) ? messages.join(" ") : messages ? String(messages) : "";
    field.error.hidden = !text;
    setText(field.error, text);
    field.wrapper.classList.toggle("has-error", Boolean(text));
    for (const control of field.controls) {
      if (text) {
        control.setAttribute("aria-invalid", "true");
        control.setAttribute("aria-describedby", [field.describedBy, field.error.id].filter(Boolean).join(" "));
      } else {
        control.removeAttribute("aria-invalid");
        if (field.describedBy) control.setAttribute("aria-describedby", field.describedBy);
        else control.removeAttribute("aria-describedby");
      }
    }
  }
  for (const key of Object.keys(errors)) {
    if (!ctl.fields.has(key)) unplaced.push(...[].concat(errors[key]));
  }
  const summary = ctl.section.querySelector(".record-unplaced");
  summary.hidden = unplaced.length === 0;
  setText(summary, unplaced.join(" "));
}

function showComputed(ctl, view) {
  if (!ctl.riskResult) return;
  const { score, band } = view.riskScreening ?? {};
  setText(ctl.riskResult, band ? `Screening result (worked out when saved): score ${score}, ${BAND_WORDS[band] ?? band} risk.` : "No screening answers saved yet.");
  ctl.riskResult.dataset.band = band ?? "";
}

// ── The form ─────────────────────────────────────────────────────────────────────────────────

function rebuild(ctl) {
  ctl.disposers.forEach((dispose) => dispose());
  ctl.disposers = [];
  build(ctl);
}

function build(ctl) {
  ctl.fields = new Map();
  const id = (name) => `rec-${ctl.contactId}-${name}`;
  const d = ctl.draft;
  const errorFor = (key, name) => h("p", { class: "field-error", id: id(`${name}-error`), "data-key": key, hidden: true });

  /** Registers a field's error slot for a server error key (the JSON path). */
  const register = (key, wrapper, error, controls, describedBy = null) => {
    ctl.fields.set(key, { wrapper, error, controls, describedBy });
  };

  const yesNo = (name, legend, get, set, { hint = null, key = null, onSet = null } = {}) => {
    const hintId = hint ? id(`${name}-hint`) : null;
    const error = errorFor(key ?? name, name);
    const radios = [];
    const choices = [["true", "Yes"], ["false", "No"], ["", "Not answered"]].map(([value, label]) => {
      const radioId = id(`${name}-${value || "none"}`);
      const radio = h("input", {
        type: "radio",
        name: id(name),
        id: radioId,
        value,
        checked: String(get() ?? "") === value,
        "aria-describedby": hintId,
      });
      radio.addEventListener("change", () => {
        set(value === "" ? null : value === "true");
        onSet?.();
        changed(ctl);
      });
      radios.push(radio);
      return h("span", { class: "choice" }, radio, h("label", { for: radioId }, label));
    });
    const wrapper = h("fieldset", { class: "yes-no", id: id(`${name}-field`) },
      h("legend", {}, legend),
      hint ? h("p", { class: "hint", id: hintId }, hint) : null,
      error,
      h("div", { class: "choices" }, choices));
    if (key) register(key, wrapper, error, radios, hintId);
    return wrapper;
  };

  const select = (name, key, labelText, options, get, set) => {
    const error = errorFor(key, name);
    const control = h("select", { id: id(name) },
      h("option", { value: "" }, "Not answered"),
      options.map(([value, label]) => h("option", { value, selected: get() === value }, label)));
    control.addEventListener("change", () => {
      set(control.value || null);
      changed(ctl);
    });
    const wrapper = h("div", { class: "field" }, h("label", { for: id(name) }, labelText), error, control);
    register(key, wrapper, error, [control]);
    return wrapper;
  };

  const text = (name, key, labelText, get, set, { type = "text", hint = null, autocomplete = "off", maxlength = null, inputmode = null } = {}) => {
    const error = errorFor(key, name);
    const hintId = hint ? id(`${name}-hint`) : null;
    const control = h("input", { id: id(name), type, autocomplete, spellcheck: "false", maxlength, inputmode, "aria-describedby": hintId });
    control.value = get() ?? "";
    control.addEventListener("input", () => {
      set(control.value.trim() ? control.value : null);
      changed(ctl);
    });
    const wrapper = h("div", { class: "field" }, h("label", { for: id(name) }, labelText), hint ? h("p", { class: "hint", id: hintId }, hint) : null, error, control);
    register(key, wrapper, error, [control], hintId);
    return { wrapper, control };
  };

  const checkboxes = (name, key, legend, options, list) => {
    const error = errorFor(key, name);
    const boxes = [];
    const items = options.map(([value, label]) => {
      const boxId = id(`${name}-${value}`);
      const box = h("input", { type: "checkbox", id: boxId, value, checked: list().includes(value) });
      box.addEventListener("change", () => {
        const chosen = new Set(list());
        if (box.checked) chosen.add(value);
        else chosen.delete(value);
        list(options.map(([v]) => v).filter((v) => chosen.has(v)));
        changed(ctl);
      });
      boxes.push(box);
      return h("span", { class: "choice" }, box, h("label", { for: boxId }, label));
    });
    const wrapper = h("fieldset", { class: "checks" }, h("legend", {}, legend), error, h("div", { class: "choices" }, items));
    register(key, wrapper, error, boxes);
    return wrapper;
  };

  // Is it stalking? FOUR, then the advisor's overall answer.
  const four = h("fieldset", { class: "group" },
    h("legend", {}, "Is it stalking? (FOUR)"),
    FOUR_PROMPTS.map(([key, label, question]) =>
      yesNo(`four-${key}`, `${label}: ${question}`, () => d.four[key], (v) => { d.four[key] = v; })),
    yesNo("is-stalking", "Overall, is this stalking?", () => d.isStalking, (v) => { d.isStalking = v; }, { key: "isStalking" }));

  const about = h("fieldset", { class: "group" },
    h("legend", {}, "About the situation"),
    select("relationship", "relationship", "Relationship to the person stalking", RELATIONSHIPS, () => d.relationship, (v) => { d.relationship = v; }),
    select("police", "reportedToPolice", "Reported to the police?", REPORTED_TO_POLICE, () => d.reportedToPolice, (v) => { d.reportedToPolice = v; }),
    select("age-group", "ageGroup", "Caller's age group", AGE_GROUPS, () => d.ageGroup, (v) => { d.ageGroup = v; }),
    select("gender", "gender", "Caller's gender", GENDERS, () => d.gender, (v) => { d.gender = v; }));

  // Risk screening: questions come from the server (versioned data).
  const riskBody = h("div", {}, h("p", { class: "hint" }, "Loading the questions…"));
  const riskError = errorFor("riskScreening.answers", "risk");
  const riskVersionError = errorFor("riskScreening.version", "risk-version");
  ctl.riskResult = h("p", { class: "risk-result", role: "status" }, "No screening answers saved yet.");
  const risk = h("fieldset", { class: "group risk" }, h("legend", {}, "Risk screening"), riskError, riskVersionError, riskBody, ctl.riskResult);
  register("riskScreening.answers", risk, riskError, []);
  register("riskScreening.version", risk, riskVersionError, []);
  questionnaire()
    .then((q) => {
      if (ctl.disposed) return;
      riskBody.replaceChildren(
        h("p", { class: "hint" }, q.guidance, ` (questionnaire version ${q.version})`),
        ...q.questions.map((question) =>
          yesNo(`risk-${question.id}`, question.text, () => d.riskScreening.answers[question.id],
            (v) => {
              if (v === null) delete d.riskScreening.answers[question.id];
              else d.riskScreening.answers[question.id] = v;
              d.riskScreening.version = Object.keys(d.riskScreening.answers).length ? (d.riskScreening.version ?? q.version) : null;
            })));
    })
    .catch(() => setText(riskBody.firstChild, "The questions could not be loaded. They will show when the console reconnects."));

  // Safety: a number or email can only be kept when the caller says it is safe.
  const callback = text("callback-number", "safety.callbackNumber", "Callback number", () => d.safety.callbackNumber, (v) => { d.safety.callbackNumber = v; },
    { type: "tel", autocomplete: "off", maxlength: "32", inputmode: "tel" });
  const times = text("safe-times", "safety.safeTimes", "Safe times to call", () => d.safety.safeTimes, (v) => { d.safety.safeTimes = v; },
    { maxlength: "200", hint: "For example: weekdays after 6pm." });
  const voicemail = yesNo("voicemail", "May a voicemail be left?", () => d.safety.voicemailAllowed, (v) => { d.safety.voicemailAllowed = v; }, { key: "safety.voicemailAllowed" });
  const callbackDetails = h("div", { class: "dependent" }, callback.wrapper, times.wrapper, voicemail);
  const email = text("email", "safety.email", "Email address", () => d.safety.email, (v) => { d.safety.email = v; },
    { type: "email", autocomplete: "off", maxlength: "254" });
  const emailDetails = h("div", { class: "dependent" }, email.wrapper);
  const showDependents = () => {
    callbackDetails.hidden = d.safety.safeToCallBack !== true;
    emailDetails.hidden = d.safety.safeToEmail !== true;
  };
  const safety = h("fieldset", { class: "group" },
    h("legend", {}, "Safety"),
    yesNo("safe-callback", "Is it safe to call the caller back?", () => d.safety.safeToCallBack, (v) => {
      d.safety.safeToCallBack = v;
      if (v !== true) {
        // Not safe: nothing that would let someone call them may be kept.
        Object.assign(d.safety, { callbackNumber: null, safeTimes: null, voicemailAllowed: null });
        callback.control.value = "";
        times.control.value = "";
        voicemail.querySelector('input[value=""]').checked = true;
      }
    }, { key: "safety.safeToCallBack", onSet: showDependents, hint: "The caller may be watched: only keep a number they say is safe." }),
    callbackDetails,
    yesNo("safe-email", "Is it safe to email the caller?", () => d.safety.safeToEmail, (v) => {
      d.safety.safeToEmail = v;
      if (v !== true) {
        d.safety.email = null;
        email.control.value = "";
      }
    }, { key: "safety.safeToEmail", onSet: showDependents }),
    emailDetails);
  showDependents();

  // Area.
  const areaError = errorFor("area.localAuthorityCode", "area");
  const areaForceError = errorFor("area.policeForceCode", "area-force");
  const picker = areaPicker({
    id: id("area"),
    value: d.area,
    onChange(value) {
      d.area = value;
      changed(ctl, { now: true });
    },
  });
  ctl.disposers.push(picker.dispose);
  const area = h("div", { class: "field" },
    h("label", { for: id("area") }, "Caller's area"),
    h("p", { class: "hint", id: id("area-hint") }, "Type part of a local authority or police force name, then choose from the list."),
    areaError, areaForceError, picker.element);
  area.append(postcodeFinder(ctl, id));
  register("area.localAuthorityCode", area, areaError, [picker.input], id("area-hint"));
  register("area.policeForceCode", area, areaForceError, [picker.input], id("area-hint"));

  const needs = checkboxes("needs", "needs", "Needs", NEEDS, (v) => (v ? (d.needs = v) : d.needs));
  const outcomes = checkboxes("outcomes", "outcomes", "Outcome", OUTCOMES, (v) => (v ? (d.outcomes = v) : d.outcomes));

  const notesError = errorFor("notes", "notes");
  const notes = h("textarea", { id: id("notes"), rows: "5", maxlength: String(NOTES_MAX), "aria-describedby": id("notes-hint") });
  notes.value = d.notes ?? "";
  notes.addEventListener("input", () => {
    d.notes = notes.value.trim() ? notes.value : null;
    changed(ctl);
  });
  const notesField = h("div", { class: "field" },
    h("label", { for: id("notes") }, "Notes"),
    h("p", { class: "hint", id: id("notes-hint") }, `Up to ${NOTES_MAX} characters. Stored encrypted; other advisors do not see them.`),
    notesError, notes);
  register("notes", notesField, notesError, [notes], id("notes-hint"));

  const urgent = h("button", { type: "button", class: "button urgent-toggle", "aria-pressed": String(d.urgent), "aria-describedby": id("urgent-hint") },
    d.urgent ? "Urgent: supervisors alerted" : "Mark as urgent");
  urgent.addEventListener("click", () => {
    d.urgent = !d.urgent;
    urgent.setAttribute("aria-pressed", String(d.urgent));
    setText(urgent, d.urgent ? "Urgent: supervisors alerted" : "Mark as urgent");
    announce(d.urgent ? "Marked urgent. Supervisors are alerted as soon as it is saved." : "No longer marked urgent.");
    changed(ctl, { now: true });
  });
  const urgentField = h("div", { class: "urgent-field" }, urgent,
    h("p", { class: "hint", id: id("urgent-hint") }, "Alerts the supervisors at once. In immediate danger, tell the caller to dial 999."));

  const form = h("form", { class: "record-form", novalidate: true, "aria-describedby": ctl.saveState.id },
    h("p", { class: "field-error record-unplaced", role: "alert", hidden: true }),
    urgentField, four, about, risk, safety, area, needs, outcomes, notesField);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save(ctl);
  });
  // Leaving a field saves at once (no need to wait for the pause).
  form.addEventListener("focusout", () => {
    if (ctl.dirty) save(ctl);
  });
  if (ctl.form) ctl.form.replaceWith(form);
  else ctl.section.insertBefore(form, ctl.services.element);
  ctl.form = form;
}

/**
 * Finding the area from the caller's postcode, when the server has a look-up turned on. The postcode
 * goes to the server in a request body and is not kept: the record keeps the area and the outward code.
 */
function postcodeFinder(ctl, id) {
  const wrapper = h("div", { class: "postcode", hidden: true });
  const input = h("input", { id: id("postcode"), type: "text", autocomplete: "off", spellcheck: "false", maxlength: "8" });
  const result = h("p", { class: "hint", role: "status" }, "");
  const find = h("button", { type: "button", class: "button small" }, "Find the area");
  find.addEventListener("click", async () => {
    const response = await api.request("POST", "/api/areas/postcode", { body: { postcode: input.value } }).catch(() => null);
    if (!response?.ok) {
      setText(result, response?.json?.detail ?? Object.values(response?.json?.errors ?? {}).flat().join(" ") ?? "The look-up did not answer.");
      return;
    }
    const area = response.json;
    input.value = "";
    ctl.draft.area = { ...area };
    rebuild(ctl);
    changed(ctl, { now: true });
    announce(`Area found: ${area.localAuthorityName ?? area.policeForceName}. Only ${area.outwardCode} of the postcode is kept.`);
  });
  wrapper.append(h("label", { for: id("postcode") }, "Or find it from the postcode"), input, " ", find, result);
  postcodeLookup().then((enabled) => {
    wrapper.hidden = !enabled;
  }).catch(() => {});
  return wrapper;
}
