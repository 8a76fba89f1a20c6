// Services and unmet need (docs/console-ui.md, "Services and unmet need"): for supervisors, the open
// referrals (overdue first) and the unmet-need report by commissioning area. Sign-in is shared with
// the advisor console.
import "../app.css";
import "./services.css";
import * as api from "../api.js";
import { byId, setText } from "../dom.js";
import * as signin from "../signin.js";
import * as referrals from "./referrals.js";
import * as unmet from "./unmet-need.js";

async function boot() {
  byId("signin-form").addEventListener("submit", signin.submitHandler(enter));
  byId("sign-out").addEventListener("click", signOut);
  byId("not-advisor-sign-out").addEventListener("click", signOut);
  api.onSessionEnded(() => signin.showSignIn({ note: "Your session has ended. Sign in again to carry on." }));
  unmet.wire();
  let user;
  try {
    user = await api.me();
  } catch {
    byId("boot").hidden = true;
    signin.showSignIn({ note: "The server could not be reached just now. Signing in will try again." });
    return;
  }
  byId("boot").hidden = true;
  if (user) enter(user);
  else signin.showSignIn();
}


function enter(user) {
  if (!signin.hasRole(user, "supervisor")) {
    signin.showNotAdvisor(user.userName);
    return;
  }
  signin.hideSignIn();
  setText(byId("user-name"), user.userName);
  const view = byId("console-view");
  view.hidden = false;
  view.inert = false;
  referrals.load();
  unmet.load();
}

async function signOut() {
  await api.logout().catch(() => {});
  byId("console-view").hidden = true;
  signin.showSignIn({ note: "You have signed out." });
}

boot();
