// The supervisors' page: sign-in (shared with the advisor console), the live dashboard over
// /hubs/supervisor, reports with charts, and staffing estimates. Sections are chosen by the URL's
// fragment (#live, #reports, #staffing), so the browser's back button and links work.
import "../app.css";
import "./supervisor.css";
import * as api from "../api.js";
import { announce, byId, focus, setText } from "../dom.js";
import { createHub, parseRefusal } from "../hub.js";
import { clearMessages, showError, showNote } from "../messages.js";
import * as signin from "../signin.js";
import * as deadLetters from "./deadletters.js";
import * as flags from "./flags.js";
import * as live from "./live.js";
import * as reports from "./reports.js";
import * as staffing from "./staffing.js";

const SECTIONS = ["live", "reports", "staffing", "flags"];
const CONNECTION_TEXT = { connecting: "Connecting…", connected: "Live", reconnecting: "Reconnecting…", disconnected: "Not connected" };
let hub = null;

async function boot() {
  byId("signin-form").addEventListener("submit", signin.submitHandler(enter));
  byId("sign-out").addEventListener("click", signOut);
  byId("not-advisor-sign-out").addEventListener("click", signOut);
  window.addEventListener("hashchange", () => showSection(true));
  api.onSessionEnded(sessionEnded);
  reports.wire();
  staffing.wire();
  flags.wire();
  deadLetters.wire();
  let user;
  try {
    user = await api.me();
  } catch {
    signin.showSignIn({ note: "The server could not be reached just now. Signing in will try again." });
    return;
  }
  if (user) enter(user);
  else signin.showSignIn();
}


function enter(user) {
  if (!signin.hasRole(user, "supervisor")) {
    signin.showNotAdvisor(user.userName);
    return;
  }
  signin.hideSignIn();
  byId("boot").hidden = true;
  const view = byId("console-view");
  view.hidden = false;
  view.inert = false;
  setText(byId("user-name"), user.userName);
  showSection(false);
  startHub();
}

function showSection(moveFocus) {
  const wanted = window.location.hash.slice(1);
  const current = SECTIONS.includes(wanted) ? wanted : "live";
  for (const name of SECTIONS) {
    byId(name).hidden = name !== current;
    const tab = byId(`tab-${name}`);
    if (name === current) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  if (current === "flags") flags.load();
  if (current === "live") deadLetters.load();
  if (moveFocus) focus(byId(`${current}-title`));
}

function startHub() {
  hub = createHub(
    {
      onEvent(name, payload) {
        if (name === "DashboardChanged") live.render(payload, { setStatus, acknowledgeUrgent });
        if (name === "UrgentContactRaised") announce("A contact has been marked urgent.", { assertive: true });
      },
      onState(state) {
        const element = byId("connection");
        element.dataset.state = state;
        setText(element, CONNECTION_TEXT[state] ?? state);
      },
      onReconnected() {},
      async onClosed(_error, unauthorized) {
        if (unauthorized || !(await api.checkSession())) return;
        hub.start();
      },
      onUnauthorized() {
        api.checkSession();
      },
    },
    { path: "/hubs/supervisor", events: ["DashboardChanged", "UrgentContactRaised"] },
  );
  hub.start();
}

async function setStatus(advisorId, status, reason, name) {
  try {
    await hub.invoke("SetAdvisorStatus", advisorId, status, reason);
    showNote(status === "Break" ? `${name} is on break (${reason}) from now, or when their current contact ends.` : `${name} is back to Available.`);
  } catch (error) {
    showError(parseRefusal(error)?.text ?? error.message ?? "That did not work.");
  }
}

async function acknowledgeUrgent(contactId) {
  try {
    await hub.invoke("AcknowledgeUrgent", contactId);
    showNote("Urgent flag acknowledged: it has left every supervisor's dashboard.");
  } catch (error) {
    showError(parseRefusal(error)?.text ?? error.message ?? "That did not work.");
  }
}

async function sessionEnded() {
  await stopHub();
  signin.showSignIn({ note: "Your session has ended. Sign in again to carry on." });
}

async function stopHub() {
  live.stop();
  await hub?.stop();
  hub = null;
}

async function signOut() {
  try {
    await api.logout();
  } catch {
    // signed out locally all the same
  }
  await stopHub();
  clearMessages();
  signin.showSignIn({ note: "You have signed out." });
}

boot();
