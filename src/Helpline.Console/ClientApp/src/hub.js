// The connection to a hub (/hubs/advisor by default, /hubs/supervisor for the supervisors' page;
// contract: docs/api.md). Same origin, so the browser sends the authentication cookie; no token is
// handled here. Reconnects automatically for as long as it takes,
// except when the server says the session is over (401), which ends the connection.
import { HttpError, HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";

export const SERVER_EVENTS = [
  "StatusChanged",
  "ContactOffered",
  "OfferWithdrawn",
  "ContactAssigned",
  "AssignmentUndone",
  "WrapUpScheduled",
  "ContactEnded",
];

const RETRY_DELAYS_MS = [0, 2000, 5000, 10000];
const MAX_RETRY_DELAY_MS = 15000;

// A refused negotiation arrives wrapped in FailedToNegotiateWithServerError, whose message keeps
// the HttpError's "Status code '401'"; a refused WebSocket or reconnect may surface the HttpError itself.
function isUnauthorized(error) {
  if (error instanceof HttpError) return error.statusCode === 401 || error.statusCode === 403;
  return /Status code '40[13]'/.test(String(error?.message ?? ""));
}

function retryDelay(previousRetryCount) {
  const base = RETRY_DELAYS_MS[previousRetryCount] ?? MAX_RETRY_DELAY_MS;
  return base + Math.floor(Math.random() * 1000); // spread a whole room reconnecting after an outage
}

/**
 * handlers: { onEvent(name, payload), onState("connecting"|"connected"|"reconnecting"|"disconnected"),
 *             onReconnected(), onClosed(error, unauthorized), onUnauthorized() }
 */
export function createHub(handlers, { path = "/hubs/advisor", events = SERVER_EVENTS } = {}) {
  const connection = new HubConnectionBuilder()
    .withUrl(path)
    .withAutomaticReconnect({
      nextRetryDelayInMilliseconds: (context) =>
        isUnauthorized(context.retryReason) ? null : retryDelay(context.previousRetryCount),
    })
    .configureLogging(LogLevel.Warning)
    .build();

  for (const name of events) {
    connection.on(name, (payload) => handlers.onEvent(name, payload));
  }

  let stopping = false;
  let startTimer = null;

  connection.onreconnecting(() => handlers.onState("reconnecting"));
  connection.onreconnected(() => {
    handlers.onState("connected");
    handlers.onReconnected();
  });
  connection.onclose((error) => {
    if (stopping) return;
    handlers.onState("disconnected");
    // Automatic reconnection gave up: either the session is over or the server refused us.
    // The caller checks the session; if it is still valid, start again from scratch.
    handlers.onClosed(error, isUnauthorized(error));
  });

  async function start(attempt = 0) {
    window.clearTimeout(startTimer);
    if (stopping) return;
    handlers.onState("connecting");
    try {
      await connection.start();
      handlers.onState("connected");
    } catch (error) {
      if (stopping) return;
      if (isUnauthorized(error)) {
        handlers.onState("disconnected");
        handlers.onUnauthorized();
        return;
      }
      handlers.onState("reconnecting");
      startTimer = window.setTimeout(() => start(attempt + 1), retryDelay(attempt));
    }
  }

  return {
    start: () => {
      stopping = false;
      return start();
    },
    async stop() {
      stopping = true;
      window.clearTimeout(startTimer);
      try {
        await connection.stop();
      } catch {
        // stopping a connection that never started
      }
    },
    get connected() {
      return connection.state === HubConnectionState.Connected;
    },
    invoke(method, ...args) {
      if (connection.state !== HubConnectionState.Connected) {
        return Promise.reject(new NotConnected());
      }
      return connection.invoke(method, ...args);
    },
  };
}

export class NotConnected extends Error {
  constructor() {
    super("Not connected to the console server. Wait until it reconnects, then try again.");
  }
}

/**
 * A refusal arrives as "An unexpected error occurred invoking 'AcceptOffer' on the server.
 * HubException: OfferExpired: The offer has expired." Returns { code, text } (text is the sentence
 * after "Code: "), or null when the error is not a refusal.
 */
export function parseRefusal(error) {
  const message = String(error?.message ?? "");
  const match = /HubException: ([A-Za-z]+): ([\s\S]+)$/.exec(message);
  return match ? { code: match[1], text: match[2].trim() } : null;
}
