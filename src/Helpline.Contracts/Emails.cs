namespace Helpline.Contracts;

/// <summary>Why Console asks Intake to send an email.</summary>
public enum EmailPurpose
{
    /// <summary>An advisor's reply in an email conversation (the contact).</summary>
    Reply = 0,

    /// <summary>A referral to a local or national support service, for the contact it came from.</summary>
    Referral = 1,
}

// ---- Console → Intake -------------------------------------------------------------------

/// <summary>
/// Send one email over SMTP. Intake stores it and sends it with retries; it reports the outcome with
/// <see cref="EmailSent"/> or <see cref="EmailSendFailed"/>. <see cref="EmailId"/> makes a redelivered
/// command harmless (one email, one send). Subject and body are personal data: they travel encrypted
/// with the shared field encryption, never in clear.
/// </summary>
public sealed record SendEmail
{
    public required Guid EmailId { get; init; }

    public required EmailPurpose Purpose { get; init; }

    /// <summary>The conversation replied to (<see cref="EmailPurpose.Reply"/>), or the contact a referral is made for.</summary>
    public required Guid ContactId { get; init; }

    /// <summary>
    /// The recipient for a referral (the service's referral address, which is not personal data).
    /// Null for a reply: Intake answers the conversation's sender, whose address only it holds.
    /// </summary>
    public string? To { get; init; }

    /// <summary>The subject, field-encrypted.</summary>
    public required string EncryptedSubject { get; init; }

    /// <summary>The plain-text body, field-encrypted.</summary>
    public required string EncryptedBody { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }
}

// ---- Intake → Console -------------------------------------------------------------------

/// <summary>The SMTP server accepted the email.</summary>
public sealed record EmailSent
{
    public required Guid EmailId { get; init; }
    public required Guid ContactId { get; init; }
    public required EmailPurpose Purpose { get; init; }

    /// <summary>The Message-ID the email went out with (angle brackets removed).</summary>
    public required string MessageId { get; init; }

    public required DateTimeOffset At { get; init; }
}

/// <summary>
/// An attempt to send failed. <see cref="Permanent"/>: Intake gives up (the server refused the
/// recipient or the message); otherwise it retries at <see cref="NextAttemptAt"/>.
/// </summary>
public sealed record EmailSendFailed
{
    public required Guid EmailId { get; init; }
    public required Guid ContactId { get; init; }
    public required EmailPurpose Purpose { get; init; }
    public required bool Permanent { get; init; }

    /// <summary>What went wrong, for the advisor: an SMTP status or a network error, never message content.</summary>
    public required string Reason { get; init; }

    public required int Attempt { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public required DateTimeOffset At { get; init; }
}
