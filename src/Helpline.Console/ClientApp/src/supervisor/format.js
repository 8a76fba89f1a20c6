// Figures as the supervisors' page shows them. A figure with nothing to divide by is "–", never 0%.
import { formatDuration } from "../clock.js";

export const DASH = "–";

export function count(value) {
  return value === null || value === undefined ? DASH : Number(value).toLocaleString("en-GB");
}

export function percent(value, digits = 0) {
  return value === null || value === undefined ? DASH : `${(value * 100).toFixed(digits)}%`;
}

export function seconds(value) {
  return value === null || value === undefined ? DASH : formatDuration(value * 1000);
}

export function decimal(value, digits = 1) {
  return value === null || value === undefined ? DASH : Number(value).toFixed(digits);
}

/** Hours from seconds, for staffed time: "3.5 h". */
export function hours(value) {
  return value === null || value === undefined ? DASH : `${(value / 3600).toFixed(1)} h`;
}

export const REASONS = [
  ["outOfHours", "Out of hours"],
  ["noAdvisors", "No advisors"],
  ["abandoned", "Abandoned"],
  ["shortAbandon", "Short abandons"],
  ["overflow", "Overflow"],
];
