// Words for the contact record's codes (docs/api.md, "Contact record").

export const FOUR_PROMPTS = [
  ["fixated", "Fixated", "Is the person fixated on the caller?"],
  ["obsessive", "Obsessive", "Is the behaviour obsessive?"],
  ["unwanted", "Unwanted", "Is the contact or attention unwanted?"],
  ["repeated", "Repeated", "Has it happened two or more times?"],
];

export const RELATIONSHIPS = [
  ["exPartner", "Ex-intimate partner"],
  ["family", "Family member"],
  ["friendOrAcquaintance", "Friend or acquaintance"],
  ["colleague", "Colleague"],
  ["neighbour", "Neighbour"],
  ["stranger", "Stranger"],
  ["onlineOnly", "Online only"],
  ["unknown", "Not known"],
];

export const REPORTED_TO_POLICE = [
  ["yes", "Yes"],
  ["no", "No"],
  ["unknown", "Not known"],
];

export const AGE_GROUPS = [
  ["under16", "Under 16"],
  ["16to17", "16 to 17"],
  ["18to24", "18 to 24"],
  ["25to64", "25 to 64"],
  ["65plus", "65 or over"],
];

export const GENDERS = [
  ["female", "Female"],
  ["male", "Male"],
  ["nonBinary", "Non-binary"],
  ["other", "Other"],
];

export const NEEDS = [
  ["information", "Information"],
  ["advocacy", "Advocacy"],
  ["legal", "Legal"],
  ["emotionalSupport", "Emotional support"],
  ["safetyPlanning", "Safety planning"],
  ["referral", "Referral"],
  ["other", "Other"],
];

export const OUTCOMES = [
  ["informationGiven", "Information given"],
  ["emotionalSupportGiven", "Emotional support given"],
  ["safetyPlanDiscussed", "Safety plan discussed"],
  ["referred", "Referred"],
  ["signpostedToPolice", "Signposted to the police"],
  ["advisedToDial999", "Advised to dial 999"],
  ["callbackArranged", "Callback arranged"],
  ["callEndedEarly", "Call ended early"],
  ["other", "Other"],
];

export const STATUS_WORDS = {
  Completed: "answered",
  Abandoned: "hung up while waiting",
  NoAdvisors: "no advisor free",
  Overflow: "queue full",
  OutOfHours: "out of hours",
  Queued: "waiting",
  Offered: "ringing",
  Assigned: "in progress",
};

export const BAND_WORDS = { standard: "Standard", medium: "Medium", high: "High" };

/** What a referral can carry (a service's field list), in the order a referral lists them. */
export const FIELD_LABELS = {
  name: "Name",
  callbackNumber: "Number to call back on",
  safeTimes: "Safe times to call",
  voicemailAllowed: "Voicemail may be left",
  email: "Email address",
  area: "Area",
  ageGroup: "Age group",
  gender: "Gender",
  relationship: "Relationship to the stalker",
  riskBand: "Risk screening",
  reportedToPolice: "Reported to the police",
  needs: "Needs",
  summary: "Summary",
};

export function labelOf(list, code) {
  return list.find(([value]) => value === code)?.[1] ?? code;
}
