// Small DOM helpers. Every piece of data reaches the page through textContent or an attribute:
// nothing here (or anywhere in this app) assigns innerHTML.

/** Creates an element: h("button", { class: "primary", type: "button" }, "Accept"). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element;
}

/** Sets text only when it changed, so that timers ticking every half second do not churn the DOM. */
export function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

export function show(element, visible) {
  element.hidden = !visible;
}

/** Focus that was on a removed or hidden element falls back to <body>; put it somewhere useful instead. */
export function focusLost() {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected || active.getClientRects().length === 0;
}

export function focus(element) {
  if (!element) return;
  if (!element.hasAttribute("tabindex") && !element.matches("a[href], button, input, select, textarea")) {
    element.setAttribute("tabindex", "-1");
  }
  element.focus();
}

const politeRegion = () => byId("announce-polite");
const assertiveRegion = () => byId("announce-assertive");

/**
 * Tells screen-reader users something that is also visible on screen. The text is cleared and set
 * again so that the same sentence twice in a row is still announced.
 */
export function announce(text, { assertive = false } = {}) {
  const region = assertive ? assertiveRegion() : politeRegion();
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}
