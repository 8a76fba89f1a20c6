// The advisor console: session, hub events and the advisor's actions. State lives here; views.js
// draws it. Nothing personal is kept in localStorage or in URLs; a record's changes stay in
// sessionStorage only until they are saved or the session ends; sign-out clears the page's state
// and every marker in sessionStorage.
import "./app.css";
import * as api from "./api.js";
import { parseTime, parseTimeSpan, serverNow, spokenDuration } from "./clock.js";
import { announce, byId, focus } from "./dom.js";
import { createHub, NotConnected, parseRefusal } from "./hub.js";
import { channelNoun, statusLabel, undoneText, withdrawnText } from "./labels.js";
import { clearMessages, showError, showNote } from "./messages.js";
import { clearDrafts, resumeRecords, storedContacts, withdrawDrafts } from "./record.js";
import * as ringer from "./ringer.js";
import * as signin from "./signin.js";
import * as views from "./views.js";

/** An offer is dropped locally this long after its expiry if the server's OfferWithdrawn never came. */
const EXPIRED_OFFER_GRACE_MS = 5000;

const state = {
  user: null, // { userId, userName, roles }
  status: null, // { status, reason, atMs }
  pending: null, // { status, reason }: a Break or Offline that applies when the contact ends
  offers: new Map(), // offerId -> { offerId, contactId, channel, receivedAtMs, expiresAtMs, shownAtMs, withheld, callerFlag }
  contacts: new Map(), // contactId -> { contactId, channel, waitMs, assignedAtMs, withheld }
  wrapUp: null, // { endsAtMs }
  connection: "disconnected",
};

let hub = null;
const tabs = "BroadcastChannel" in window ? new BroadcastChannel("helpline-advisor-console") : null;

const consoleShown = () => !byId("console-view").hidden;
const render = () => views.renderAll(state, actions);

function resetState() {
  ringer.stopAllRinging();
  ringer.closeAllNotifications();
  state.user = null;
  state.status = null;
  state.pending = null;
  state.offers.clear();
  state.contacts.clear();
  state.wrapUp = null;
  state.connection = "disconnected";
  clearMessages();
  render();
}

// ── Session ──────────────────────────────────────────────────────────────────────────────────

async function boot() {
  wireStaticControls();
  let user;
  try {
    user = await api.me();
  } catch {
    signin.showSignIn({ note: "The console server could not be reached just now. Signing in will try again." });
    return;
  }
  if (user) enterConsole(user);
  else signin.showSignIn();
}

// Still inside the click or Enter: the only moment browsers allow these two.
function askForAlerts() {
  ringer.askNotificationPermission().then(() => views.renderAlertsSetup());
  ringer.unlockAudio().then(() => views.renderAlertsSetup());
}

function signedIn(user) {
  enterConsole(user);
  tabs?.postMessage({ type: "signed-in" });
}

function enterConsole(user) {
  if (state.user && state.user.userId !== user.userId) {
    // Someone else signed in at this screen: nothing of the previous advisor may remain.
    resetState();
    clearDrafts();
  }
  state.user = user;
  if (!signin.hasRole(user, "advisor")) {
    signin.showNotAdvisor(user.userName);
    return;
  }
  signin.hideSignIn();
  byId("boot").hidden = true;
  const consoleView = byId("console-view");
  consoleView.hidden = false;
  consoleView.inert = false;
  render();
  focus(byId("main"));
  startHub();
  resumeRecords(); // a record that could not be saved while signed out is saved now
}

/** The session ended (a 401 from the API or the hub). Keep what is on screen; ask to sign in again. */
async function sessionEnded() {
  if (!consoleShown()) return;
  withdrawDrafts();
  await stopHub();
  dropAllOffers();
  const consoleView = byId("console-view");
  consoleView.hidden = true;
  consoleView.inert = true;
  signin.showSignIn({ note: "Your session has ended. Sign in again to carry on: what you had open is still here." });
}

async function signOut() {
  const busy = state.contacts.size > 0 || state.wrapUp;
  if (busy && !window.confirm("You still have a contact open. Sign out anyway? You will go offline when it ends.")) return;
  // The server sets the advisor Offline on sign-out (deferred while on a contact) and closes every
  // hub connection of theirs, so nothing rings for an advisor who has left.
  await stopHub();
  try {
    await api.logout();
  } catch {
    startHub();
    showError("Signing out did not reach the server, so you are still signed in. Try again, or close the browser.");
    return;
  }
  signedOutHere("You have signed out.");
  tabs?.postMessage({ type: "signed-out" });
}

function signedOutHere(note) {
  resetState();
  clearDrafts();
  // A shared computer: the next person should not find the last advisor's user name filled in.
  byId("username").value = "";
  signin.showSignIn({ note });
}

async function signOutNotAdvisor() {
  try {
    await api.logout();
  } catch {
    signin.showFailure("Signing out did not reach the server. Try again, or close the browser.");
    return;
  }
  signedOutHere("You have signed out.");
  tabs?.postMessage({ type: "signed-out" });
}

/** The hub was refused or gave up: is the session still valid? */
async function recheckSession() {
  let user;
  try {
    user = await api.me();
  } catch {
    window.setTimeout(() => hub?.start(), 5000); // server unreachable: keep trying quietly
    return;
  }
  if (!user) {
    sessionEnded();
  } else if (!signin.hasRole(user, "advisor")) {
    await stopHub();
    signin.showNotAdvisor(user.userName);
  } else {
    window.setTimeout(() => hub?.start(), 2000);
  }
}

api.onSessionEnded(() => sessionEnded());

tabs?.addEventListener("message", async (event) => {
  if (event.data?.type === "signed-out" && state.user) {
    await stopHub();
    signedOutHere("You signed out in another tab.");
  } else if (event.data?.type === "signed-in" && !byId("signin-view").hidden) {
    try {
      const user = await api.me();
      if (user) enterConsole(user);
    } catch {
      // stay on the sign-in screen
    }
  }
});

// A page restored from the back/forward cache may show a session that has since ended.
window.addEventListener("pageshow", (event) => {
  if (event.persisted && consoleShown()) api.checkSession().catch(() => {});
});

// ── Hub ──────────────────────────────────────────────────────────────────────────────────────

function startHub() {
  if (!hub) {
    hub = createHub({
      onEvent: handleEvent,
      onState(connection) {
        state.connection = connection;
        views.renderConnection(state);
        if (connection === "reconnecting") api.checkSession().catch(() => {});
      },
      onReconnected() {
        dropExpiredOffers(0);
        render();
        showNote("Reconnected. Anything that changed while the connection was down shows with the next update.");
      },
      onClosed: () => recheckSession(),
      onUnauthorized: () => recheckSession(),
    });
  }
  hub.start();
}

async function stopHub() {
  const current = hub;
  hub = null;
  state.connection = "disconnected";
  views.renderConnection(state);
  await current?.stop();
}

function handleEvent(name, payload) {
  if (!payload || typeof payload !== "object") return;
  switch (name) {
    case "StatusChanged":
      return onStatusChanged(payload);
    case "ContactOffered":
      return onContactOffered(payload);
    case "OfferWithdrawn":
      return onOfferWithdrawn(payload);
    case "ContactAssigned":
      return onContactAssigned(payload);
    case "AssignmentUndone":
      return onAssignmentUndone(payload);
    case "WrapUpScheduled":
      state.wrapUp = { endsAtMs: parseTime(payload.endsAt) ?? serverNow() };
      restoreEndedContacts();
      return render();
    case "ContactEnded":
      return onContactEnded(payload);
  }
}

function onStatusChanged({ status, reason, deferred, at }) {
  if (deferred) {
    // Available after a contact is the default, so a deferred Available just cancels a pending change.
    state.pending = status === "Available" ? null : { status, reason };
    announce(state.pending ? `You will be on ${statusLabel(status)} when this contact ends.` : "You will be available when this contact ends.");
    return render();
  }
  state.status = { status, reason: reason ?? null, atMs: parseTime(at) ?? serverNow() };
  if (["Available", "Break", "Offline"].includes(status)) {
    state.pending = null;
    state.wrapUp = null;
    dropEndedContacts();
  }
  if (status === "Break" && reason === "missed offers") {
    showNote("You were put on Break after missing two offers. Choose Available when you are ready.");
  } else if (status !== "Offered") {
    announce(`Your status is now ${statusLabel(status)}${reason ? `, ${reason}` : ""}.`);
  }
  render();
}

function onContactOffered(payload) {
  const expiresAtMs = parseTime(payload.expiresAt);
  if (expiresAtMs === null || expiresAtMs <= serverNow() || state.offers.has(payload.offerId)) return;
  const offer = {
    offerId: payload.offerId,
    contactId: payload.contactId,
    channel: payload.channel,
    receivedAtMs: parseTime(payload.receivedAt),
    expiresAtMs,
    shownAtMs: serverNow(),
    withheld: typeof payload.withheld === "boolean" ? payload.withheld : null,
    callerFlag: payload.callerFlag ?? null,
  };
  state.offers.set(offer.offerId, offer);
  render();
  startAlerting(offer);
  const noun = channelNoun(offer.channel);
  announce(
    `${offer.channel === "Email" ? "Email offered" : "Call ringing"}. ${offer.callerFlag ? "Flagged caller. " : ""}${spokenDuration(expiresAtMs - serverNow())} to accept. ` +
      `Alt+A accepts the ${noun}, Alt+D declines it.`,
    { assertive: true },
  );
}

function startAlerting(offer) {
  const key = `offer-${offer.offerId}`;
  ringer.startRinging(key, offer.expiresAtMs - serverNow());
  ringer.notify(key, offer.channel === "Email" ? "Email offered – Advisor console" : "Call ringing – Advisor console",
    `A ${channelNoun(offer.channel)} is waiting for you. Open the console to accept or decline.`);
}

function stopAlerting(offerId) {
  ringer.stopRinging(`offer-${offerId}`);
  ringer.closeNotification(`offer-${offerId}`);
}

function removeOffer(offerId) {
  const offer = state.offers.get(offerId);
  if (!offer) return null;
  state.offers.delete(offerId);
  stopAlerting(offerId);
  return offer;
}

function dropAllOffers() {
  for (const offerId of [...state.offers.keys()]) removeOffer(offerId);
}

function dropExpiredOffers(graceMs) {
  const now = serverNow();
  let dropped = false;
  for (const offer of [...state.offers.values()]) {
    if (offer.expiresAtMs + graceMs <= now) {
      removeOffer(offer.offerId);
      dropped = true;
    }
  }
  return dropped;
}

function onOfferWithdrawn({ offerId, reason }) {
  const offer = removeOffer(offerId);
  render();
  if (offer) showNote(withdrawnText(reason, offer.channel));
}

function onContactAssigned({ offerId, contactId, channel, waitTime, at }) {
  const offer = removeOffer(offerId);
  if (!state.contacts.has(contactId)) {
    state.contacts.set(contactId, {
      contactId,
      channel,
      waitMs: parseTimeSpan(waitTime),
      assignedAtMs: parseTime(at) ?? serverNow(),
      withheld: offer?.withheld ?? null,
    });
  }
  render();
  announce(channel === "Email" ? "Email accepted. It is open below." : "Call accepted. Connecting your phone.");
}

function onAssignmentUndone({ contactId, reason, detail }) {
  const contact = state.contacts.get(contactId);
  state.contacts.delete(contactId);
  render();
  showError(undoneText(reason, detail, contact?.channel ?? "Call"));
}

function onContactEnded({ contactId, outcome }) {
  for (const offer of [...state.offers.values()]) {
    if (offer.contactId === contactId) removeOffer(offer.offerId);
  }
  const contact = state.contacts.get(contactId);
  if (contact && outcome === "Completed" && contact.channel !== "Email") {
    // A completed call stays on screen through wrap-up, so its record can be finished.
    contact.ended = true;
  } else {
    state.contacts.delete(contactId);
  }
  render();
  if (contact) {
    const noun = channelNoun(contact.channel);
    showNote(outcome === "Completed" ? `The ${noun} is complete.` : `The ${noun} has ended.`);
  }
}

/**
 * In wrap-up after a reload, the hub's resync does not name the call that just ended: its record
 * is still in this tab's sessionStorage, so its card comes back to be finished.
 */
function restoreEndedContacts() {
  for (const { contactId, channel } of storedContacts()) {
    if (channel === "Call" && !state.contacts.has(contactId)) {
      state.contacts.set(contactId, { contactId, channel, waitMs: null, assignedAtMs: null, withheld: null, ended: true });
    }
  }
}

/** Wrap-up is over: the completed calls kept for their records leave the screen (their drafts are saved). */
function dropEndedContacts() {
  for (const [contactId, contact] of state.contacts) {
    if (contact.ended) state.contacts.delete(contactId);
  }
}

// ── The advisor's actions ────────────────────────────────────────────────────────────────────

function describeFailure(error) {
  if (error instanceof NotConnected) return error.message;
  const refusal = parseRefusal(error);
  if (refusal) return refusal.text;
  return "The server did not confirm that. Check the screen once it has reconnected, and try again if needed.";
}

/** Sends a hub command; the button shows it is busy and a refusal appears in the alert area. */
async function command(button, method, ...args) {
  if (button?.getAttribute("aria-disabled") === "true") return;
  button?.setAttribute("aria-disabled", "true");
  try {
    await hub?.invoke(method, ...args);
  } catch (error) {
    showError(describeFailure(error));
  } finally {
    button?.removeAttribute("aria-disabled");
  }
}

const actions = {
  accept: (offerId, button) => command(button ?? views.offerAcceptButton(offerId), "AcceptOffer", offerId),
  decline: (offerId, button) => command(button, "DeclineOffer", offerId),
  complete: (contactId, button) => command(button, "CompleteContact", contactId),
};

function firstOffer() {
  return state.offers.values().next().value ?? null;
}

function wireStaticControls() {
  byId("signin-form").addEventListener("submit", signin.submitHandler(signedIn, { before: askForAlerts }));
  byId("not-advisor-sign-out").addEventListener("click", signOutNotAdvisor);
  byId("sign-out").addEventListener("click", signOut);

  byId("go-available").addEventListener("click", (e) => command(e.currentTarget, "SetStatus", "Available", null));
  byId("go-break").addEventListener("click", (e) => command(e.currentTarget, "SetStatus", "Break", byId("break-reason").value));
  byId("go-offline").addEventListener("click", (e) => command(e.currentTarget, "SetStatus", "Offline", null));
  byId("wrapup-extend").addEventListener("click", (e) => command(e.currentTarget, "ExtendWrapUp"));
  byId("wrapup-end").addEventListener("click", (e) => command(e.currentTarget, "EndWrapUp"));

  byId("sound-on").addEventListener("click", () => enableSound().then(() => focus(byId("main"))));
  byId("notify-on").addEventListener("click", () =>
    ringer.askNotificationPermission().then(() => {
      views.renderAlertsSetup();
      focus(byId("main"));
    }));

  // Any click or key press lets the page make sound (browsers' autoplay rule). On click, not on
  // pointerdown: enabling sound hides "Turn on ringing sound", which moves the page up, and between
  // pointerdown and pointerup that turned a first click on Accept into a click on nothing.
  const unlockOnce = () => {
    if (!ringer.audioReady()) enableSound();
  };
  document.addEventListener("click", unlockOnce, { capture: true });
  document.addEventListener("keydown", unlockOnce, { capture: true });

  // Alt+A accepts and Alt+D declines the first ringing offer, wherever focus is.
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || !consoleShown()) return;
    if (event.code !== "KeyA" && event.code !== "KeyD") return;
    const offer = firstOffer();
    if (!offer) return;
    event.preventDefault();
    if (event.code === "KeyA") actions.accept(offer.offerId);
    else actions.decline(offer.offerId, null);
  });

  // A notification only helps while the tab is hidden.
  document.addEventListener("visibilitychange", () => {
    for (const offer of state.offers.values()) {
      if (document.visibilityState === "hidden") startAlerting(offer);
      else ringer.closeNotification(`offer-${offer.offerId}`);
    }
  });

  window.setInterval(() => {
    if (!consoleShown()) return;
    if (dropExpiredOffers(EXPIRED_OFFER_GRACE_MS)) render();
    views.tick(state);
  }, 500);
}

async function enableSound() {
  if (await ringer.unlockAudio()) {
    for (const offer of state.offers.values()) startAlerting(offer);
  }
  views.renderAlertsSetup();
}

boot();
