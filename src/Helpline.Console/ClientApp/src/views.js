// Renders the console from the state in main.js. Lists are keyed (offer id, contact id): a card
// stays the same element while its offer or contact lives, so focus and anything typed in it
// survive other updates. tick() only updates the clocks.
import { formatDuration, secondsLeft, serverNow, spokenDuration } from "./clock.js";
import { announce, byId, focus, focusLost, h, setText } from "./dom.js";
import { channelNoun, IDLE_TEXT, statusLabel } from "./labels.js";
import { callerFlagSection, flagBanner } from "./caller-flag.js";
import { repeatCallerIndicator } from "./history.js";
import { contactRecordSection, disposeRecord } from "./record.js";
import { conversationSection, disposeConversation } from "./conversation.js";
import { audioReady, audioSupported, notificationPermission, notificationsSupported } from "./ringer.js";

// ── Status bar ───────────────────────────────────────────────────────────────────────────────

export function renderStatusBar(state) {
  const status = state.status?.status ?? "Unknown";
  const pill = byId("status-pill");
  pill.dataset.status = status;
  setText(pill, statusLabel(status));
  setText(byId("status-reason"), state.status?.reason ? `(${state.status.reason})` : "");

  const pending = byId("status-pending");
  pending.hidden = !state.pending;
  if (state.pending) {
    const reason = state.pending.reason ? ` (${state.pending.reason})` : "";
    setText(pending, `${statusLabel(state.pending.status)}${reason} when this contact ends`);
  }

  byId("go-available").setAttribute("aria-pressed", String(status === "Available"));
  byId("go-break").setAttribute("aria-pressed", String(status === "Break"));
  byId("go-offline").setAttribute("aria-pressed", String(status === "Offline"));

  setText(byId("user-name"), state.user?.userName ?? "");
  renderConnection(state);
  renderAlertsSetup();
  tickStatusBar(state);
}

const CONNECTION_TEXT = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  disconnected: "Not connected",
};

export function renderConnection(state) {
  const element = byId("connection");
  element.dataset.state = state.connection;
  setText(element, CONNECTION_TEXT[state.connection] ?? state.connection);
}

export function renderAlertsSetup() {
  byId("sound-on").hidden = !audioSupported() || audioReady();
  byId("notify-on").hidden = !notificationsSupported() || notificationPermission() !== "default";
}

function tickStatusBar(state) {
  const at = state.status?.atMs;
  setText(byId("status-elapsed"), at ? formatDuration(serverNow() - at) : "–");
}

// ── Ringing offers ───────────────────────────────────────────────────────────────────────────

const offerCards = new Map(); // offerId -> { element, acceptButton, seconds, progress, waited, offer }

export function renderOffers(state, actions) {
  const container = byId("offers");
  for (const [offerId, card] of offerCards) {
    if (!state.offers.has(offerId)) {
      card.element.remove();
      offerCards.delete(offerId);
    }
  }
  for (const offer of state.offers.values()) {
    if (!offerCards.has(offer.offerId)) {
      const card = offerCard(offer, actions);
      offerCards.set(offer.offerId, card);
      container.append(card.element);
    }
  }
  container.hidden = state.offers.size === 0;
  tickOffers();
}

function offerCard(offer, actions) {
  const noun = channelNoun(offer.channel);
  const titleId = `offer-${offer.offerId}-title`;
  const seconds = h("span", { class: "big-number", role: "timer" }, "");
  const progress = h("progress", { max: "100", value: "100", "aria-hidden": "true" });
  const waited = h("span", {}, "");
  const acceptButton = h(
    "button",
    { type: "button", class: "button primary accept", "aria-keyshortcuts": "Alt+A", onclick: (e) => actions.accept(offer.offerId, e.currentTarget) },
    `Accept ${noun}`, " ", h("kbd", { "aria-hidden": "true" }, "Alt+A"),
  );
  const declineButton = h(
    "button",
    { type: "button", class: "button decline", "aria-keyshortcuts": "Alt+D", onclick: (e) => actions.decline(offer.offerId, e.currentTarget) },
    `Decline ${noun}`, " ", h("kbd", { "aria-hidden": "true" }, "Alt+D"),
  );
  const element = h(
    "article",
    { class: "card offer", "aria-labelledby": titleId, "data-channel": offer.channel },
    h("div", { class: "offer-head" },
      h("span", { class: "ring-mark", "aria-hidden": "true" }),
      h("h2", { id: titleId, tabindex: "-1" }, offer.channel === "Email" ? "Email offered" : "Call ringing")),
    h("p", { class: "offer-facts" },
      offer.channel === "Call" ? (offer.withheld ? "Number withheld. " : "Number known. ") : "",
      "Waiting ", waited, "."),
    offer.callerFlag ? flagBanner(offer.callerFlag, { compact: true }) : null,
    h("p", { class: "offer-countdown" }, seconds, " seconds left to accept"),
    progress,
    h("div", { class: "actions" }, acceptButton, declineButton),
  );
  return { element, acceptButton, seconds, progress, waited, offer };
}

function tickOffers() {
  const now = serverNow();
  for (const { seconds, progress, waited, offer } of offerCards.values()) {
    const left = secondsLeft(offer.expiresAtMs);
    setText(seconds, String(left));
    const total = Math.max(1, offer.expiresAtMs - offer.shownAtMs);
    progress.value = Math.max(0, Math.min(100, Math.round(((offer.expiresAtMs - now) / total) * 100)));
    setText(waited, offer.receivedAtMs ? formatDuration(now - offer.receivedAtMs) : "–");
  }
}

export function offerAcceptButton(offerId) {
  return offerCards.get(offerId)?.acceptButton ?? null;
}

// ── Active contacts ──────────────────────────────────────────────────────────────────────────

const contactCards = new Map(); // contactId -> { element, heading, timer, completeButton, contact }

export function renderContacts(state, actions) {
  const container = byId("contacts");
  for (const [contactId, card] of contactCards) {
    if (!state.contacts.has(contactId)) {
      card.element.remove();
      contactCards.delete(contactId);
      disposeRecord(contactId);
      disposeConversation(contactId);
    }
  }
  for (const contact of state.contacts.values()) {
    if (!contactCards.has(contact.contactId)) {
      const card = contactCard(contact, actions);
      contactCards.set(contact.contactId, card);
      container.append(card.element);
    }
    showEnded(contactCards.get(contact.contactId), contact);
  }
  container.hidden = state.contacts.size === 0;
  tickContacts();
}

function contactCard(contact, actions) {
  const isCall = contact.channel !== "Email";
  const titleId = `contact-${contact.contactId}-title`;
  const heading = h("h2", { id: titleId, tabindex: "-1" }, isCall ? "On a call" : "Email open");
  // The timer role goes on a span inside the <dd>: a <dd> with a role of its own is no longer a definition.
  const timer = h("span", { role: "timer" }, "");
  const facts = h("dl", { class: "facts" },
    h("div", {}, h("dt", {}, "Waited"), h("dd", {}, contact.waitMs === null ? "–" : formatDuration(contact.waitMs))),
    h("div", {}, h("dt", {}, isCall ? "Call time" : "Open for"), h("dd", {}, timer)));
  if (isCall && contact.withheld !== null) {
    facts.append(h("div", {}, h("dt", {}, "Number"), h("dd", {}, contact.withheld ? "Withheld" : "Known")));
  }
  const completeButton = h("button", {
    type: "button",
    class: "button primary",
    onclick: (e) => actions.complete(contact.contactId, e.currentTarget),
  }, isCall ? "Complete call" : "Complete email");
  const element = h(
    "article",
    { class: "card contact", "aria-labelledby": titleId, "data-channel": contact.channel },
    h("div", { class: "contact-head" }, heading, h("span", { class: "channel-tag" }, isCall ? "Call" : "Email")),
    facts,
    callerFlagSection(contact),
    repeatCallerIndicator(contact),
    h("div", { class: "actions" }, completeButton),
    isCall ? null : conversationSection(contact),
    contactRecordSection(contact),
  );
  return { element, heading, timer, completeButton, contact };
}

/** A completed call stays on screen through wrap-up so its record can be finished. */
function showEnded(card, contact) {
  if (!contact.ended || card.completeButton.hidden) return;
  card.completeButton.hidden = true;
  card.element.dataset.ended = "true";
  setText(card.heading, "Call ended: finish the record");
}

function tickContacts() {
  const now = serverNow();
  for (const { timer, contact } of contactCards.values()) {
    if (contact.ended) continue;
    setText(timer, contact.assignedAtMs ? formatDuration(now - contact.assignedAtMs) : "–");
  }
}

export function contactHeading(contactId) {
  return contactCards.get(contactId)?.heading ?? null;
}

// ── Wrap-up ──────────────────────────────────────────────────────────────────────────────────

let announcedWrapUpEnd = null;

export function renderWrapUp(state) {
  byId("wrapup").hidden = !state.wrapUp;
  tickWrapUp(state);
}

function tickWrapUp(state) {
  if (!state.wrapUp) return;
  const leftMs = state.wrapUp.endsAtMs - serverNow();
  setText(byId("wrapup-left"), formatDuration(Math.max(0, leftMs + 999)));
  // One polite reminder shortly before the end (again after each extension).
  if (leftMs <= 15_000 && leftMs > 0 && announcedWrapUpEnd !== state.wrapUp.endsAtMs) {
    announcedWrapUpEnd = state.wrapUp.endsAtMs;
    announce(`Wrap-up ends in ${spokenDuration(leftMs)}.`);
  }
}

// ── Idle ─────────────────────────────────────────────────────────────────────────────────────

export function renderIdle(state) {
  const status = state.status?.status ?? "Unknown";
  const idle = state.offers.size === 0 && state.contacts.size === 0 && !state.wrapUp;
  byId("idle").hidden = !idle;
  setText(byId("idle-text"), IDLE_TEXT[status] ?? "");
}

// ── Everything ───────────────────────────────────────────────────────────────────────────────

export function renderAll(state, actions) {
  renderStatusBar(state);
  renderOffers(state, actions);
  renderContacts(state, actions);
  renderWrapUp(state);
  renderIdle(state);
  document.title = state.offers.size > 0 ? "Ringing – Advisor console" : "Advisor console – National Stalking Helpline";
  rescueFocus(state);
}

/**
 * When the element that had focus went away (an accepted offer, a completed contact), or focus is
 * parked on <main>, put it on what the advisor most likely deals with next. Focus is never taken
 * from a control the advisor is using.
 */
function rescueFocus(state) {
  const main = byId("main");
  if (!focusLost() && document.activeElement !== main) return;
  if (byId("console-view").hidden) return;
  const firstOffer = state.offers.values().next().value;
  // A completed call kept on screen for its record is not where focus goes: wrap-up comes next.
  const firstContact = [...state.contacts.values()].find((contact) => !contact.ended);
  const target =
    (firstOffer && offerAcceptButton(firstOffer.offerId)) ||
    (state.wrapUp && byId("wrapup-title")) ||
    (firstContact && contactHeading(firstContact.contactId)) ||
    main;
  if (document.activeElement !== target) focus(target);
}

export function tick(state) {
  tickStatusBar(state);
  tickOffers();
  tickContacts();
  tickWrapUp(state);
}
