namespace Helpline.Contracts;

/// <summary>How a contact reached the helpline.</summary>
public enum ContactChannel
{
    Call = 0,
    Email = 1,
}

/// <summary>
/// Intake stored a new contact (a call or an email conversation) and hands it to Console.
/// Carries no personal data: the caller is identified only by a keyed hash.
/// </summary>
public sealed record ContactReceived
{
    public required Guid ContactId { get; init; }
    public required ContactChannel Channel { get; init; }

    /// <summary>The provider's own id (Twilio CallSid, a PBX call id, an email Message-ID).</summary>
    public required string ProviderReference { get; init; }

    /// <summary>HMAC of the caller's number or address; null when the caller withheld it.</summary>
    public string? CallerKey { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}
