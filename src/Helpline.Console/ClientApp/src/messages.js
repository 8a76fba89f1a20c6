// Messages above the work area: errors (refusals, failures) in a role="alert" region, notes
// (an offer withdrawn, reconnected) in a role="status" region. Each stays until dismissed or
// pushed out by newer ones, so nobody has to read against a clock.
import { byId, focus, focusLost, h } from "./dom.js";

const KEEP = 3;

function add(regionId, kind, text) {
  const region = byId(regionId);
  const item = h(
    "div",
    { class: `message ${kind}` },
    h("p", {}, text),
    h("button", {
      type: "button",
      class: "button quiet small",
      "aria-label": `Dismiss: ${text}`,
      onclick: () => {
        item.remove();
        if (focusLost()) focus(byId("main"));
      },
    }, "Dismiss"),
  );
  region.append(item);
  while (region.children.length > KEEP) region.firstElementChild.remove();
}

export function showError(text) {
  add("errors", "error", text);
}

export function showNote(text) {
  add("notes", "info", text);
}

export function clearMessages() {
  byId("errors").replaceChildren();
  byId("notes").replaceChildren();
}
