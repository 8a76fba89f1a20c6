// The console's account API (same origin, cookie authentication). Every POST/PUT/DELETE carries the
// anti-forgery header. A 401 from anything but the sign-in call means the session has ended: the
// listeners registered with onSessionEnded decide what to show, and nothing typed is thrown away.
import { learnFromResponse } from "./clock.js";

let antiforgery = null; // { headerName, token }, bound to the identity it was issued for
const sessionEndedListeners = new Set();

export function onSessionEnded(listener) {
  sessionEndedListeners.add(listener);
}

/** The server could not be reached, or answered something this app does not understand. */
export class ServerUnavailable extends Error {}

/** The session ended while a call was being prepared (the listeners have been told). */
export class SessionEnded extends ServerUnavailable {}

/** Forget the anti-forgery token, e.g. after signing in or out: the next unsafe call fetches a new one. */
export function forgetAntiforgery() {
  antiforgery = null;
}

async function send(method, path, { body, unsafe = false, extraHeaders = {} } = {}) {
  const headers = { Accept: "application/json, application/problem+json", ...extraHeaders };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (unsafe) {
    const { headerName, token } = await antiforgeryToken();
    headers[headerName] = token;
  }
  const sentAt = Date.now();
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
      redirect: "error",
    });
  } catch {
    throw new ServerUnavailable("The console server could not be reached.");
  }
  learnFromResponse(response, sentAt, Date.now());
  return response;
}

async function readJson(response) {
  const type = response.headers.get("Content-Type") ?? "";
  if (!/json/i.test(type)) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

async function antiforgeryToken() {
  if (antiforgery) return antiforgery;
  const response = await send("GET", "/api/account/antiforgery");
  if (response.status === 401) {
    sessionEnded();
    throw new SessionEnded("The session has ended.");
  }
  const json = response.ok ? await readJson(response) : null;
  if (!json || typeof json.headerName !== "string" || typeof json.token !== "string") {
    throw new ServerUnavailable("The console server did not give an anti-forgery token.");
  }
  antiforgery = { headerName: json.headerName, token: json.token };
  return antiforgery;
}

function sessionEnded() {
  antiforgery = null;
  for (const listener of sessionEndedListeners) listener();
}

/** The signed-in user ({ userId, userName, roles }) or null when nobody is signed in. */
export async function me() {
  const response = await send("GET", "/api/account/me");
  if (response.status === 401) return null;
  const json = response.ok ? await readJson(response) : null;
  if (!json || typeof json.userName !== "string") {
    throw new ServerUnavailable(`The console server answered ${response.status}.`);
  }
  return { userId: String(json.userId), userName: json.userName, roles: Array.isArray(json.roles) ? json.roles : [] };
}

/**
 * Signs in with a cookie. Returns { ok: true } or { ok: false, lockedOut, fieldErrors } where
 * fieldErrors holds the server's validation messages for "userName" and "password".
 */
export async function login(userName, password) {
  // Signing in needs no anti-forgery header (there is no session yet, and the token endpoint
  // answers only signed-in users); any token held belongs to an earlier session.
  forgetAntiforgery();
  const response = await send("POST", "/api/account/login?useCookies=true", { body: { userName, password } });
  if (response.ok) return { ok: true };
  const problem = (await readJson(response)) ?? {};
  if (response.status === 401) {
    const lockedOut = /locked\s*out/i.test(`${problem.title ?? ""} ${problem.detail ?? ""}`);
    return { ok: false, lockedOut, fieldErrors: {} };
  }
  if (response.status === 400) {
    const fieldErrors = {};
    for (const [key, messages] of Object.entries(problem.errors ?? {})) {
      const field = key.toLowerCase() === "password" ? "password" : "userName";
      fieldErrors[field] = Array.isArray(messages) ? messages.join(" ") : String(messages);
    }
    return { ok: false, lockedOut: false, fieldErrors, detail: typeof problem.detail === "string" ? problem.detail : null };
  }
  throw new ServerUnavailable(`The console server answered ${response.status}.`);
}

export async function logout() {
  const response = await send("POST", "/api/account/logout", { unsafe: true });
  forgetAntiforgery();
  if (!response.ok && response.status !== 401) {
    throw new ServerUnavailable(`The console server answered ${response.status}.`);
  }
}

/** Checks the session and, when it has ended, tells the listeners. Returns the user or null. */
export async function checkSession() {
  const user = await me();
  if (!user) sessionEnded();
  return user;
}

/**
 * A JSON call for the console's feature modules (the contact record). Anything but GET carries the
 * anti-forgery header. A 401 tells the session listeners (the sign-in shows again, nothing on the
 * page is lost) and is returned like any other status. Returns { status, ok, json, etag }; throws
 * ServerUnavailable when the server cannot be reached and SessionEnded when the session is gone.
 */
export async function request(method, path, { body, headers = {} } = {}) {
  const response = await send(method, path, { body, unsafe: method !== "GET", extraHeaders: headers });
  if (response.status === 401) sessionEnded();
  return { status: response.status, ok: response.ok, json: await readJson(response), etag: response.headers.get("ETag") };
}
