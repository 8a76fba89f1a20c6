// The sign-in screen. Errors show beside the field they belong to, and a wrong password or a
// locked account in one alert above the form; focus goes to the first field that needs attention.
import * as api from "./api.js";
import { byId, focus, setText } from "./dom.js";

const FIELDS = {
  userName: { input: "username", error: "username-error", wrapper: "username-field" },
  password: { input: "password", error: "password-error", wrapper: "password-field" },
};

/** note: a calm sentence above the form (signed out, session ended); problem: an alert. */
export function showSignIn({ note = null, problem = null } = {}) {
  byId("boot").hidden = true;
  const consoleView = byId("console-view");
  consoleView.hidden = true;
  consoleView.inert = true;
  byId("signin-view").hidden = false;
  byId("signin-form").hidden = false;
  byId("not-advisor").hidden = true;
  setNote(note);
  clearErrors();
  if (problem) showProblem(problem);
  setBusy(false);
  byId("password").value = "";
  const userName = byId("username");
  focus(userName.value ? byId("password") : userName);
}

export function hideSignIn() {
  byId("signin-view").hidden = true;
  byId("password").value = "";
  clearErrors();
}

export function showNotAdvisor(userName) {
  showSignIn();
  byId("signin-form").hidden = true;
  byId("not-advisor").hidden = false;
  setText(byId("not-advisor-name"), userName);
  focus(byId("not-advisor-sign-out"));
}

function setNote(text) {
  const note = byId("signin-note");
  note.hidden = !text;
  setText(note, text ?? "");
}

export function clearErrors() {
  byId("signin-problem").hidden = true;
  for (const field of Object.values(FIELDS)) {
    const input = byId(field.input);
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
    byId(field.error).hidden = true;
    byId(field.wrapper).classList.remove("has-error");
  }
}

function showProblem(text) {
  setText(byId("signin-problem-text"), text);
  byId("signin-problem").hidden = false;
}

function showFieldError(name, text) {
  const field = FIELDS[name];
  const input = byId(field.input);
  const error = byId(field.error);
  setText(error, text);
  error.hidden = false;
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", field.error);
  byId(field.wrapper).classList.add("has-error");
}

export function setBusy(busy) {
  const button = byId("signin-submit");
  button.setAttribute("aria-disabled", String(busy));
  setText(button, busy ? "Signing in…" : "Sign in");
}

export function isBusy() {
  return byId("signin-submit").getAttribute("aria-disabled") === "true";
}

/** Reads and checks the form. Returns { userName, password } or null after showing what is missing. */
export function readForm() {
  clearErrors();
  const userName = byId("username").value.trim();
  const password = byId("password").value;
  const missing = [];
  if (!userName) missing.push(["userName", "Enter your user name"]);
  if (!password) missing.push(["password", "Enter your password"]);
  if (missing.length) {
    for (const [name, text] of missing) showFieldError(name, text);
    focus(byId(FIELDS[missing[0][0]].input));
    return null;
  }
  return { userName, password };
}

/** Shows the outcome of a refused sign-in: { lockedOut, fieldErrors } from api.login. */
export function showRefusal({ lockedOut, fieldErrors, detail = null }) {
  byId("password").value = "";
  const named = Object.entries(fieldErrors ?? {});
  if (named.length) {
    for (const [name, text] of named) showFieldError(name, text);
    focus(byId(FIELDS[named[0][0]].input));
    return;
  }
  showProblem(
    detail ??
    (lockedOut
      ? "This account is locked for a while after too many attempts to sign in. Try again later, or ask a supervisor to unlock it."
      : "The user name or password is not right. Check them and try again."),
  );
  byId("password").setAttribute("aria-describedby", "signin-problem-text");
  focus(byId("password"));
}

export function showFailure(text) {
  showProblem(text);
  focus(byId("username").value ? byId("password") : byId("username"));
}

/** Whether the signed-in user holds the role (Identity's role names, compared case-insensitively). */
export function hasRole(user, role) {
  return user.roles.some((held) => String(held).toLowerCase() === role.toLowerCase());
}

/**
 * The sign-in form's submit handler of a page: signs in and calls enter(user), or shows why not on the
 * form. before() runs first, still inside the click or Enter (the only moment browsers allow some
 * permission prompts).
 */
export function submitHandler(enter, { before = () => {} } = {}) {
  return async (event) => {
    event.preventDefault();
    before();
    if (isBusy()) return;
    const form = readForm();
    if (!form) return;
    setBusy(true);
    try {
      const result = await api.login(form.userName, form.password);
      if (!result.ok) {
        showRefusal(result);
        return;
      }
      const user = await api.me();
      if (user) enter(user);
      else showFailure("You were signed in, but the browser did not keep the session. Check that this site may use cookies, then try again.");
    } catch {
      showFailure("The console server could not be reached. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  };
}
