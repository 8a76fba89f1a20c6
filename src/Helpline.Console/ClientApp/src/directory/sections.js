// The directory screen shows one of its sections at a time: the search, the editor or a history.
import { byId, focus } from "../dom.js";

export function showSection(name, { focusOn = null } = {}) {
  for (const section of ["search", "editor", "history"]) byId(section).hidden = section !== name;
  focus(focusOn ?? byId(`${name}-title`));
}
