// Times from the server (expiresAt, endsAt, at) are compared with the browser's clock. A browser
// clock a few seconds out would make countdowns lie, so the offset is estimated from the Date header
// of the console's own API answers (whole seconds, hence the half-second correction and the
// threshold below which it is ignored).
let offsetMs = 0;

export function serverNow() {
  return Date.now() + offsetMs;
}

export function learnFromResponse(response, sentAt, receivedAt) {
  const header = response.headers.get("Date");
  if (!header) return;
  const serverTime = Date.parse(header);
  if (Number.isNaN(serverTime)) return;
  const estimate = serverTime + 500 - (sentAt + receivedAt) / 2;
  offsetMs = Math.abs(estimate) < 1500 ? 0 : Math.round(estimate);
}

export function parseTime(value) {
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

/** .NET TimeSpan as System.Text.Json writes it: [-][d.]hh:mm:ss[.fffffff]. Returns milliseconds. */
export function parseTimeSpan(value) {
  const match = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(String(value ?? ""));
  if (!match) return null;
  const [, minus, days, hours, minutes, seconds, fraction] = match;
  const ms =
    ((Number(days ?? 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 +
    Number(seconds) * 1000 +
    Math.round(Number(`0.${fraction ?? "0"}`) * 1000);
  return minus ? -ms : ms;
}

/** 0:07, 12:34, 1:02:03 */
export function formatDuration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** Whole seconds left, rounded up so that "0" means it has ended. */
export function secondsLeft(untilMs) {
  return Math.max(0, Math.ceil((untilMs - serverNow()) / 1000));
}

/** Spoken form for screen readers and notifications: "1 minute 5 seconds". */
export function spokenDuration(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (seconds || !minutes) parts.push(`${seconds} second${seconds === 1 ? "" : "s"}`);
  return parts.join(" ");
}
