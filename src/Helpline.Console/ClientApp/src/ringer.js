// The audible and desktop side of a ringing offer. The tone is generated with WebAudio (no audio
// file): the UK double ring (400 Hz + 450 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off) at a modest
// volume, scheduled on the audio clock up to the offer's expiry so that it keeps its rhythm in a
// background tab, and cut off at once when the offer is answered or withdrawn.
// Browsers only let a page make sound after the user has interacted with it; unlockAudio() is
// called from the sign-in button, the "Turn on ringing sound" button and the first key or click.

const CYCLE_SECONDS = 3;
const BURSTS = [
  [0, 0.4],
  [0.6, 0.4],
];
const VOLUME = 0.12;

let context = null;
const rings = new Map(); // key -> { master, oscillators }

export function audioSupported() {
  return typeof window.AudioContext === "function";
}

export function audioReady() {
  return context !== null && context.state === "running";
}

/** Must run inside a user gesture (click, key press). Resolves true when sound can play. */
export async function unlockAudio() {
  if (!audioSupported()) return false;
  try {
    context ??= new AudioContext();
    if (context.state === "suspended") await context.resume();
  } catch {
    return false;
  }
  return audioReady();
}

/** Rings until stopRinging(key) or for durationMs (at most two minutes), whichever comes first. */
export function startRinging(key, durationMs) {
  if (!audioReady() || rings.has(key)) return;
  const master = context.createGain();
  master.gain.value = 1;
  master.connect(context.destination);
  const oscillators = [];
  const start = context.currentTime + 0.05;
  const end = start + Math.min(Math.max(durationMs / 1000, 1), 120);
  for (let cycle = start; cycle < end; cycle += CYCLE_SECONDS) {
    for (const [offset, length] of BURSTS) {
      const on = cycle + offset;
      if (on >= end) break;
      const off = Math.min(on + length, end);
      const envelope = context.createGain();
      envelope.gain.setValueAtTime(0, on);
      envelope.gain.linearRampToValueAtTime(VOLUME, on + 0.03);
      envelope.gain.setValueAtTime(VOLUME, off - 0.03);
      envelope.gain.linearRampToValueAtTime(0, off);
      envelope.connect(master);
      for (const frequency of [400, 450]) {
        const oscillator = context.createOscillator();
        oscillator.type = "sine";
        oscillator.frequency.value = frequency;
        oscillator.connect(envelope);
        oscillator.start(on);
        oscillator.stop(off);
        oscillators.push(oscillator);
      }
    }
  }
  rings.set(key, { master, oscillators });
}

export function stopRinging(key) {
  const ring = rings.get(key);
  if (!ring) return;
  rings.delete(key);
  const now = context.currentTime;
  ring.master.gain.cancelScheduledValues(now);
  ring.master.gain.setValueAtTime(ring.master.gain.value, now);
  ring.master.gain.linearRampToValueAtTime(0, now + 0.04);
  for (const oscillator of ring.oscillators) {
    try {
      oscillator.stop(now + 0.05);
    } catch {
      // already stopped
    }
  }
  window.setTimeout(() => ring.master.disconnect(), 200);
}

export function stopAllRinging() {
  for (const key of [...rings.keys()]) stopRinging(key);
}

// Desktop notifications -------------------------------------------------------------------------

const notifications = new Map(); // key -> Notification

export function notificationsSupported() {
  return typeof window.Notification === "function";
}

export function notificationPermission() {
  return notificationsSupported() ? Notification.permission : "denied";
}

/** Must run inside a user gesture. Never throws. */
export function askNotificationPermission() {
  if (notificationPermission() !== "default") return Promise.resolve(notificationPermission());
  try {
    return Promise.resolve(Notification.requestPermission()).catch(() => "default");
  } catch {
    return Promise.resolve("default");
  }
}

/** Shows a notification only while the tab is hidden. Carries no caller data. */
export function notify(key, title, body) {
  if (document.visibilityState !== "hidden" || notificationPermission() !== "granted" || notifications.has(key)) return;
  try {
    const notification = new Notification(title, { body, tag: key, requireInteraction: true, silent: true });
    notification.addEventListener("click", () => {
      window.focus();
      notification.close();
    });
    notifications.set(key, notification);
  } catch {
    // Some browsers allow notifications only from a service worker; the tone and the title still ring.
  }
}

export function closeNotification(key) {
  notifications.get(key)?.close();
  notifications.delete(key);
}

export function closeAllNotifications() {
  for (const key of [...notifications.keys()]) closeNotification(key);
}
