// The email conversation on an email contact's card (docs/email.md): the messages as plain text, a
// message's HTML only in a sandboxed frame served with its own CSP (nothing in it can run or load),
// attachments as downloads, and the reply composer with templates and an autosaved draft.
import { request } from "./api.js";
import { announce, h, setText } from "./dom.js";

const REFRESH_MS = 10_000;
const DRAFT_DELAY_MS = 1_000;
const conversations = new Map(); // contactId -> controller

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function formatTime(iso) {
  return new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

function replyStatus(message) {
  switch (message.state) {
    case "Sent":
      return `Sent ${formatTime(message.sentAt)}`;
    case "Failed":
      return `Not sent: ${message.failure ?? "the mail server refused it"}. It is kept here; copy it into a new reply to try again.`;
    case "Sending":
      return message.attempts > 0
        ? `Not sent yet (attempt ${message.attempts}: ${message.failure}). Trying again${message.nextAttemptAt ? ` at ${formatTime(message.nextAttemptAt)}` : ""}.`
        : "Sending…";
    default:
      return "";
  }
}

function messageItem(ctl, message) {
  const inbound = message.direction === "Inbound";
  const heading = h("h4", { class: "message-head" },
    inbound ? (message.from ?? "Unknown sender") : "Reply from the helpline",
    h("span", { class: "message-time" }, ` · ${formatTime(message.at)}`),
    message.automatic ? h("span", { class: "channel-tag" }, "Automatic") : null);
  const body = h("div", { class: "message-text" }, message.text ?? (message.hasHtml ? "(This message has only a formatted version.)" : "(No text.)"));
  const parts = [heading, h("p", { class: "message-subject" }, message.subject || "(no subject)"), body];
  if (message.hasHtml) {
    const holder = h("div", { class: "message-html" });
    const toggle = h("button", {
      type: "button",
      class: "button",
      "aria-expanded": "false",
      onclick: () => {
        const open = toggle.getAttribute("aria-expanded") === "true";
        toggle.setAttribute("aria-expanded", String(!open));
        setText(toggle, open ? "Show formatted version" : "Hide formatted version");
        holder.replaceChildren(open ? "" : h("iframe", {
          // No allow-* tokens at all: no scripts, no forms, no popups, an opaque origin.
          sandbox: "",
          referrerpolicy: "no-referrer",
          title: `Formatted version of “${message.subject}”`,
          src: `/api/emails/${ctl.contactId}/messages/${message.emailId}/html`,
        }));
      },
    }, "Show formatted version");
    parts.push(toggle, holder);
  }
  if (message.attachments.length > 0) {
    parts.push(h("ul", { class: "attachments", "aria-label": "Attachments" },
      message.attachments.map((a) => h("li", {},
        h("a", { href: `/api/emails/${ctl.contactId}/attachments/${a.attachmentId}`, download: a.fileName }, a.fileName),
        ` (${formatSize(a.size)}, ${a.contentType})`))));
  }
  if (!inbound) parts.push(h("p", { class: "reply-state", "data-state": message.state ?? "" }, replyStatus(message)));
  return h("li", { class: inbound ? "message inbound" : "message outbound", "data-email-id": message.emailId }, ...parts);
}

function render(ctl, view) {
  ctl.list.replaceChildren(...view.messages.map((m) => messageItem(ctl, m)));
  if (!ctl.draftLoaded) {
    ctl.draftLoaded = true;
    ctl.textarea.value = view.draft ?? "";
  }
  ctl.unsafe.hidden = view.safeToEmail;
  ctl.send.disabled = !view.safeToEmail;
}

async function load(ctl) {
  const response = await request("GET", `/api/emails/${ctl.contactId}`);
  if (ctl.disposed) return;
  if (!response.ok) {
    setText(ctl.note, "The conversation could not be loaded.");
    return;
  }
  setText(ctl.note, "");
  render(ctl, response.json);
}

async function loadTemplates(ctl) {
  const response = await request("GET", "/api/email/templates");
  if (!response.ok || ctl.disposed) return;
  ctl.templates = response.json;
  ctl.templatePicker.replaceChildren(
    h("option", { value: "" }, "Insert a template…"),
    ...ctl.templates.map((t) => h("option", { value: t.id }, t.name)));
  ctl.templatePicker.hidden = ctl.templates.length === 0;
}

function scheduleDraft(ctl) {
  window.clearTimeout(ctl.draftTimer);
  ctl.draftTimer = window.setTimeout(async () => {
    const response = await request("PUT", `/api/emails/${ctl.contactId}/draft`, { body: { body: ctl.textarea.value } });
    setText(ctl.draftState, response.ok ? "Draft saved" : "The draft could not be saved");
  }, DRAFT_DELAY_MS);
}

async function sendReply(ctl) {
  const body = ctl.textarea.value.trim();
  if (!body) {
    setText(ctl.note, "Write the reply first.");
    ctl.textarea.focus();
    return;
  }
  ctl.send.disabled = true;
  const response = await request("POST", `/api/emails/${ctl.contactId}/replies`, { body: { body } });
  ctl.send.disabled = false;
  if (response.ok) {
    window.clearTimeout(ctl.draftTimer);
    ctl.textarea.value = "";
    setText(ctl.draftState, "");
    announce("Reply accepted. It is sending.");
    await load(ctl);
    return;
  }
  setText(ctl.note, response.json?.detail ?? "The reply could not be sent.");
}

/** The conversation section of an email contact's card. */
export function conversationSection(contact) {
  const contactId = contact.contactId;
  const titleId = `conversation-${contactId}-title`;
  const replyId = `reply-${contactId}`;
  const ctl = { contactId, disposed: false, draftLoaded: false, templates: [], draftTimer: null, refresh: null };
  ctl.list = h("ol", { class: "messages", "aria-label": "Messages" });
  ctl.note = h("p", { class: "conversation-note", role: "status" });
  ctl.unsafe = h("p", { class: "unsafe-email", hidden: true }, "The caller's record says it is not safe to email them: replies are refused.");
  ctl.textarea = h("textarea", { id: replyId, rows: "6", maxlength: "20000", oninput: () => scheduleDraft(ctl) });
  ctl.draftState = h("span", { class: "save-state" });
  ctl.templatePicker = h("select", {
    "aria-label": "Insert a template",
    hidden: true,
    onchange: () => {
      const template = ctl.templates.find((t) => t.id === ctl.templatePicker.value);
      if (template) {
        ctl.textarea.value = ctl.textarea.value ? `${ctl.textarea.value}\n\n${template.body}` : template.body;
        scheduleDraft(ctl);
      }
      ctl.templatePicker.value = "";
    },
  });
  ctl.send = h("button", { type: "button", class: "button primary", onclick: () => sendReply(ctl) }, "Send reply");
  const section = h("section", { class: "conversation", "aria-labelledby": titleId },
    h("h3", { id: titleId }, "Conversation"),
    ctl.note,
    ctl.list,
    h("div", { class: "composer" },
      h("label", { for: replyId }, "Your reply"),
      ctl.unsafe,
      ctl.templatePicker,
      ctl.textarea,
      h("div", { class: "actions" }, ctl.send, ctl.draftState)));
  conversations.set(contactId, ctl);
  load(ctl);
  loadTemplates(ctl);
  ctl.refresh = window.setInterval(() => load(ctl), REFRESH_MS);
  return section;
}

export function disposeConversation(contactId) {
  const ctl = conversations.get(contactId);
  if (!ctl) return;
  ctl.disposed = true;
  window.clearInterval(ctl.refresh);
  window.clearTimeout(ctl.draftTimer);
  conversations.delete(contactId);
}
