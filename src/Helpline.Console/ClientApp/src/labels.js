// Words shown to advisors for the hub's codes (docs/api.md).

export const STATUS_LABELS = {
  Unknown: "Not known yet",
  Offline: "Offline",
  Available: "Available",
  Offered: "Ringing",
  OnContact: "On a contact",
  WrapUp: "Wrap-up",
  Break: "Break",
};

export function statusLabel(status) {
  return STATUS_LABELS[status] ?? String(status);
}

export function channelNoun(channel) {
  return channel === "Email" ? "email" : "call";
}

export const WITHDRAWN_REASONS = {
  Declined: (noun) => `You declined the ${noun}. It has gone back to the queue.`,
  TimedOut: (noun) => `The ${noun} was not accepted in time and has gone back to the queue.`,
  CallerHungUp: () => "The caller hung up before the call was answered.",
  AdvisorUnavailable: (noun) => `The ${noun} stopped ringing because your status changed.`,
};

export function withdrawnText(reason, channel) {
  const noun = channelNoun(channel);
  return (WITHDRAWN_REASONS[reason] ?? ((n) => `The ${n} stopped ringing.`))(noun);
}

export function undoneText(reason, detail, channel) {
  const noun = channelNoun(channel);
  if (reason === "ConnectFailed") {
    return `The call could not be connected to your phone${detail ? ` (${detail})` : ""}. It has gone back to the queue.`;
  }
  if (reason === "AdvisorSignedOut") {
    return `The ${noun} went back to the queue because you went offline.`;
  }
  return `The ${noun} was taken back and has gone back to the queue.`;
}

export const IDLE_TEXT = {
  Unknown: "Your status shows above once the server confirms it. Choose Available when you are ready for contacts.",
  Offline: "You are offline, so no contacts will ring. Choose Available when you are ready.",
  Available: "You are available. The next contact will ring here.",
  Break: "You are on a break, so no contacts will ring. Choose Available when you are ready.",
  Offered: "",
  OnContact: "",
  WrapUp: "",
};
