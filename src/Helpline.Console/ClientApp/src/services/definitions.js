// The unmet-need report's figures and what each means: the same words as docs/unmet-need.md, whose
// headings carry the same anchors (#contacts, #needing-local-support, …). Every figure on the page
// links to its definition here.
export const FIGURES = [
  ["contacts", "Contacts", "Contacts received in the period whose record names this area (police force area, or a local authority in it)."],
  ["needingLocalSupport", "Needing local support", "Of those, contacts whose record lists advocacy or referral among the caller's needs."],
  ["referredLocally", "Referred locally", "Contacts with at least one referral to a local service that was not withdrawn."],
  ["referredOnlyNationally", "Referred only nationally", "Contacts with a referral to a national service that was not withdrawn, and none to a local one."],
  ["noEligibleLocalService", "No eligible local service", "Contacts needing local support for whom matching, when the record was last saved, found no local service whose criteria (area, relationship, risk, age, gender) they met."],
  ["notMatched", "Not matched", "Contacts needing local support whose record was never matched (saved before the directory existed)."],
  ["lackOfCapacity", "Ended: lack of capacity", "Referrals of these contacts that were done, unsuccessfully, for lack of capacity."],
];

export const CATEGORIES = [
  ["exPartner", "Ex-intimate partner"],
  ["acquaintance", "Acquaintance"],
  ["stranger", "Stranger"],
  ["family", "Family"],
  ["colleague", "Colleague"],
  ["onlineOnly", "Online only"],
  ["unknown", "Unknown"],
];

/** The anchor of a figure's definition on the page and in docs/unmet-need.md. */
export const anchor = (key) => `def-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
