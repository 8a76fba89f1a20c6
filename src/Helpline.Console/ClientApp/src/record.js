// ─────────────────────────────────────────────────────────────────────────────────────────────
// THE CONTACT RECORD — PLACEHOLDER
// The contact record form (is it stalking, relationship, police, risk screening, safety
// preferences, area, needs, outcome and notes, the urgent flag; saved as the advisor types) comes
// with its API in the next piece of work. It mounts here, inside each active contact's card, which
// stays in the page across reconnects and an expired session, so a draft typed here is not lost.
// Drafts that must survive a reload go to sessionStorage under DRAFT_PREFIX only; signing out
// removes them (see clearDrafts, called on sign-out).
// ─────────────────────────────────────────────────────────────────────────────────────────────
import { h } from "./dom.js";

export const DRAFT_PREFIX = "helpline.draft.";

/** Builds the record section for one contact; returns the element to put in the contact's card. */
export function contactRecordSection(contact) {
  const titleId = `record-${contact.contactId}-title`;
  return h(
    "section",
    { class: "record", "aria-labelledby": titleId },
    h("h3", { id: titleId }, "Contact record"),
    h("p", { class: "record-placeholder" },
      "The contact record form is not built yet. It will appear here, saved as you type."),
  );
}

/** Removes every draft this app kept in sessionStorage (called on sign-out). */
export function clearDrafts() {
  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const key = sessionStorage.key(i);
      if (key?.startsWith(DRAFT_PREFIX)) sessionStorage.removeItem(key);
    }
  } catch {
    // storage unavailable (private mode policies): nothing was kept
  }
}
