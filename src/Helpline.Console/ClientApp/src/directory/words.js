// Words for the directory's codes (docs/directory.md, "The model"), and how a service's eligibility,
// referral method and status read on the directory screen.
import { BAND_WORDS, FIELD_LABELS, GENDERS, RELATIONSHIPS, labelOf } from "../record-labels.js";

export { RELATIONSHIPS };

/** A service may restrict itself to these (the record's, less "not known"). */
export const SERVICE_RELATIONSHIPS = RELATIONSHIPS.filter(([code]) => code !== "unknown");
export const SERVICE_GENDERS = GENDERS.filter(([code]) => code !== "other");
export const RISK_BANDS = Object.entries(BAND_WORDS);

export const REFERRAL_METHODS = [
  ["secureEmail", "Secure email"],
  ["phone", "Phone"],
  ["selfReferralOnly", "Self-referral only"],
];

export const STATUSES = [
  ["accepting", "Accepting referrals"],
  ["waitingList", "Waiting list"],
  ["closed", "Closed"],
];

export const REFERRAL_FIELDS = Object.entries(FIELD_LABELS);

const day = (iso) => new Date(`${iso}T00:00:00`).toLocaleDateString("en-GB", { dateStyle: "medium" });
const list = (words) => (words.length > 1 ? `${words.slice(0, -1).join(", ")} or ${words.at(-1)}` : words[0]);

/** "Any relationship; high risk only; aged 16 to 25; women": empty lists mean anyone. */
export function eligibility(data) {
  const parts = [];
  const relationships = data.relationships ?? [];
  parts.push(relationships.length ? `Stalked by ${list(relationships.map((r) => labelOf(RELATIONSHIPS, r).toLowerCase()))} only` : "Any relationship to the stalker");
  const bands = data.riskBands ?? [];
  parts.push(bands.length ? `${list(bands.map((b) => BAND_WORDS[b] ?? b))} risk only` : "any risk band");
  if (data.minAge != null || data.maxAge != null) {
    parts.push(data.maxAge == null ? `aged ${data.minAge} or over` : data.minAge == null ? `aged up to ${data.maxAge}` : `aged ${data.minAge} to ${data.maxAge}`);
  }
  const genders = data.genders ?? [];
  if (genders.length) parts.push(`${list(genders.map((g) => labelOf(GENDERS, g).toLowerCase()))} only`);
  return parts.join("; ");
}

export function referral(data) {
  const method = labelOf(REFERRAL_METHODS, data.referralMethod);
  const how = data.referralMethod === "secureEmail" ? data.referralEmail : data.phone;
  return [method, how].filter(Boolean).join(": ");
}

/** Accepting / waiting list (until …) / closed (expected to reopen …). */
export function status(data) {
  const until = data.statusUntil ? day(data.statusUntil) : null;
  if (data.status === "waitingList") return until ? `Waiting list until ${until}` : "Waiting list";
  if (data.status === "closed") return until ? `Closed, expected to reopen ${until}` : "Closed, no date to reopen";
  return "Accepting referrals";
}
