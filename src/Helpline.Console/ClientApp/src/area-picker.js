// The caller's area: a combobox that searches local authorities and police forces (GET /api/areas)
// and a listbox of matches (ARIA 1.2 combobox pattern). Arrow keys move through the matches, Enter
// chooses, Escape closes. The choice is shown as text with a button to clear it.
import * as api from "./api.js";
import { h, setText } from "./dom.js";

const SEARCH_DELAY_MS = 250;

/** value: { localAuthorityCode, localAuthorityName, policeForceCode, policeForceName } or nulls. */
export function areaPicker({ id, value, onChange }) {
  const listId = `${id}-list`;
  const input = h("input", {
    id,
    type: "text",
    role: "combobox",
    autocomplete: "off",
    spellcheck: "false",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": listId,
    "aria-describedby": `${id}-hint`,
    maxlength: "64",
  });
  const list = h("ul", { id: listId, role: "listbox", class: "area-list", "aria-label": "Matching areas", hidden: true });
  const chosen = h("span", { class: "area-chosen-text" }, "");
  const clear = h("button", { type: "button", class: "button small quiet" }, "Clear area");
  const chosenLine = h("p", { class: "area-chosen", id: `${id}-chosen` }, "Chosen: ", chosen, " ", clear);
  const status = h("p", { class: "visually-hidden", role: "status" }, "");
  let matches = [];
  let active = -1;
  let timer = null;
  let current = { ...value };

  const describe = (v) =>
    v.localAuthorityCode
      ? `${v.localAuthorityName ?? v.localAuthorityCode} (${v.policeForceName ?? v.policeForceCode ?? "police force not known"})`
      : v.policeForceCode
        ? `${v.policeForceName ?? v.policeForceCode} (police force)`
        : "";

  function showChosen() {
    const text = describe(current);
    setText(chosen, text);
    chosenLine.hidden = !text;
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    active = index;
    [...list.children].forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", `${id}-option-${index}`);
      list.children[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(index) {
    const match = matches[index];
    if (!match) return;
    current =
      match.kind === "LocalAuthority"
        ? { localAuthorityCode: match.code, localAuthorityName: match.name, policeForceCode: match.policeForceCode, policeForceName: match.policeForceName }
        : { localAuthorityCode: null, localAuthorityName: null, policeForceCode: match.code, policeForceName: match.name };
    input.value = "";
    close();
    showChosen();
    setText(status, `Chosen: ${describe(current)}.`);
    onChange({ ...current });
  }

  async function search() {
    const q = input.value.trim();
    if (q.length < 2) {
      matches = [];
      close();
      return;
    }
    let result;
    try {
      result = await api.request("GET", `/api/areas?q=${encodeURIComponent(q)}`);
    } catch {
      setText(status, "The area search could not reach the server.");
      return;
    }
    if (input.value.trim() !== q || !result.ok || !Array.isArray(result.json)) return;
    matches = result.json;
    list.replaceChildren(
      ...matches.map((match, i) =>
        h("li", {
          id: `${id}-option-${i}`,
          role: "option",
          "aria-selected": "false",
          onmousedown: (event) => event.preventDefault(),
          onclick: () => choose(i),
        },
        match.name,
        h("span", { class: "area-kind" }, match.kind === "LocalAuthority" ? ` – local authority, ${match.policeForceName}` : " – police force"))),
    );
    list.hidden = matches.length === 0;
    input.setAttribute("aria-expanded", String(matches.length > 0));
    highlight(-1);
    setText(status, matches.length === 0 ? "No areas match." : `${matches.length} areas match. Use the arrow keys to choose one.`);
  }

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, SEARCH_DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (matches.length === 0) return;
      event.preventDefault();
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + matches.length) % matches.length);
    } else if (event.key === "Enter") {
      if (!list.hidden && active >= 0) {
        event.preventDefault();
        choose(active);
      }
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
  clear.addEventListener("click", () => {
    current = { localAuthorityCode: null, localAuthorityName: null, policeForceCode: null, policeForceName: null };
    showChosen();
    setText(status, "Area cleared.");
    onChange({ ...current });
    input.focus();
  });
  showChosen();

  const element = h("div", { class: "area-picker" }, input, list, chosenLine, status);
  return { element, input, dispose: () => window.clearTimeout(timer) };
}
