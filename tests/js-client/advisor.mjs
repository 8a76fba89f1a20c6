// An advisor with the official SignalR JavaScript client in Node, as docs/api.md describes: signs
// in for a bearer token, connects to /hubs/advisor, goes Available, has a call posted to Intake,
// gets it offered, accepts it and is assigned it. Prints each step; exits 0 when all happened,
// 1 with the reason otherwise (including when it takes longer than TIMEOUT_MS).
//   CONSOLE_URL=http://127.0.0.1:5081 INTAKE_URL=http://127.0.0.1:5080 INTAKE_KEY=hlk_… ADVISOR=alice PASSWORD=… node advisor.mjs
// (INTAKE_KEY: an integration key with the calls scope, as deploy/local/run.sh writes to .data/secrets/integration-key)
import { HubConnectionBuilder, HttpTransportType, LogLevel } from "@microsoft/signalr";

const { CONSOLE_URL, INTAKE_URL, INTAKE_KEY, ADVISOR, PASSWORD } = process.env;
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 30000);

function fail(message) {
  console.error(`FAILED: ${message}`);
  process.exit(1);
}

if (!CONSOLE_URL || !INTAKE_URL || !INTAKE_KEY || !ADVISOR || !PASSWORD) fail("set CONSOLE_URL, INTAKE_URL, INTAKE_KEY, ADVISOR and PASSWORD");
const timer = setTimeout(() => fail(`not done within ${TIMEOUT_MS} ms`), TIMEOUT_MS);

/** Resolves with the first message of `method` that matches, including one that already came. */
function waiter(connection, method) {
  const seen = [];
  const waiting = [];
  connection.on(method, (payload) => {
    seen.push(payload);
    for (const w of [...waiting]) {
      if (w.match(payload)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(payload);
      }
    }
  });
  return (match) => {
    const found = seen.find(match);
    return found ? Promise.resolve(found) : new Promise((resolve) => waiting.push({ match, resolve }));
  };
}

const login = await fetch(new URL("/api/account/login", CONSOLE_URL), {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ userName: ADVISOR, password: PASSWORD }),
});
if (login.status !== 200) fail(`sign-in answered ${login.status}`);
const { tokenType, accessToken } = await login.json();
if (tokenType !== "Bearer" || !accessToken) fail("sign-in gave no bearer token");
console.log("signed in: bearer token");

const connection = new HubConnectionBuilder()
  .withUrl(new URL("/hubs/advisor", CONSOLE_URL).href, {
    accessTokenFactory: () => accessToken,
    transport: HttpTransportType.WebSockets,
  })
  .withAutomaticReconnect()
  .configureLogging(LogLevel.Warning)
  .build();
const statusChanged = waiter(connection, "StatusChanged");
const contactOffered = waiter(connection, "ContactOffered");
const contactAssigned = waiter(connection, "ContactAssigned");
let stopping = false;
connection.onclose((error) => stopping || fail(`connection closed: ${error?.message ?? "no reason"}`));

await connection.start();
console.log(`connected: ${connection.connectionId ? "with a connection id" : "no id"}`);
const resynced = await statusChanged(() => true);
console.log(`StatusChanged ${resynced.status} (resync on connect)`);

await connection.invoke("SetStatus", "Available", null);
await statusChanged((s) => s.status === "Available" && !s.deferred);
console.log("StatusChanged Available");

const call = await fetch(new URL("/api/calls", INTAKE_URL), {
  method: "POST",
  headers: { "Content-Type": "application/json", Authorization: `Bearer ${INTAKE_KEY}` },
  body: JSON.stringify({ providerCallId: `js-client-${Date.now()}`, callerNumber: "+447700900123", dialledNumber: "+448088020300" }),
});
if (call.status !== 202) fail(`Intake answered ${call.status} to the call`);
const { contactId } = await call.json();
console.log("call posted to Intake");

const offer = await contactOffered((o) => o.contactId === contactId);
if (offer.channel !== "Call" || typeof offer.offerId !== "number" || JSON.stringify(offer).includes("7700900123")) {
  fail(`unexpected offer ${JSON.stringify(offer)}`);
}
console.log(`ContactOffered offer ${offer.offerId}, expires ${offer.expiresAt}`);

await connection.invoke("AcceptOffer", offer.offerId);
const assigned = await contactAssigned((a) => a.contactId === contactId);
if (assigned.offerId !== offer.offerId) fail(`assigned offer ${assigned.offerId}, not ${offer.offerId}`);
console.log(`ContactAssigned after waiting ${assigned.waitTime}`);

await connection.invoke("CompleteContact", contactId);
console.log("CompleteContact");

stopping = true;
clearTimeout(timer);
await connection.stop();
console.log("OK");
process.exit(0);
