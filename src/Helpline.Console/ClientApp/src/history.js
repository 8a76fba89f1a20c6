// The repeat-caller indicator on an active contact's card: earlier contacts from the same number
// (matched on the server by a keyed hash; the number never reaches the browser), showing only
// when, how, how it ended, urgency and risk band: never another advisor's notes.
import * as api from "./api.js";
import { h, setText } from "./dom.js";
import { BAND_WORDS, labelOf, OUTCOMES, STATUS_WORDS } from "./record-labels.js";

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/London" });

export function repeatCallerIndicator(contact) {
  const summaryText = h("span", {}, "Checking for earlier contacts…");
  const element = h("div", { class: "repeat-caller", "data-state": "loading" }, summaryText);
  load(contact, element, summaryText);
  return element;
}

async function load(contact, element, summaryText) {
  let result;
  try {
    result = await api.request("GET", `/api/contacts/${encodeURIComponent(contact.contactId)}/history`);
  } catch {
    result = null;
  }
  if (!result?.ok || !result.json) {
    element.dataset.state = "unknown";
    const retry = h("button", { type: "button", class: "button small quiet" }, "Check again");
    retry.addEventListener("click", () => {
      element.replaceChildren(summaryText);
      setText(summaryText, "Checking for earlier contacts…");
      load(contact, element, summaryText);
    });
    element.replaceChildren(h("span", {}, "Earlier contacts could not be checked. "), retry);
    return;
  }
  const { withheld, count, contacts, hiddenByFlag } = result.json;
  if (hiddenByFlag) {
    element.dataset.state = "hidden";
    setText(summaryText, "Earlier contacts are not shown: this caller is flagged.");
    return;
  }
  if (withheld) {
    element.dataset.state = "none";
    setText(summaryText, "Number withheld: earlier contacts cannot be matched.");
    return;
  }
  if (!count) {
    element.dataset.state = "none";
    setText(summaryText, "No earlier contacts from this number.");
    return;
  }
  element.dataset.state = "repeat";
  const urgentBefore = contacts.some((c) => c.urgent);
  const items = contacts.map((c) =>
    h("li", {},
      h("strong", {}, when.format(new Date(c.receivedAt))),
      ` · ${c.channel === "Email" ? "email" : "call"}, ${STATUS_WORDS[c.status] ?? c.status}`,
      c.outcomes?.length ? ` · ${c.outcomes.map((o) => labelOf(OUTCOMES, o)).join(", ")}` : "",
      c.riskBand ? ` · risk ${BAND_WORDS[c.riskBand] ?? c.riskBand}` : "",
      c.urgent ? h("span", { class: "tag urgent-tag" }, "Urgent") : ""),
  );
  const more = count > contacts.length ? h("p", {}, `Showing the latest ${contacts.length} of ${count}.`) : "";
  element.replaceChildren(
    h("details", {},
      h("summary", {},
        `Repeat caller: ${count} earlier contact${count === 1 ? "" : "s"}`,
        urgentBefore ? h("span", { class: "tag urgent-tag" }, "Urgent before") : ""),
      h("ul", { class: "history-list" }, items),
      more),
  );
}
