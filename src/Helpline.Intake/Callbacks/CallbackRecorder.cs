using Helpline.Contracts;
using Helpline.Intake.Calls;
using Helpline.Intake.Data;
using Helpline.ServiceDefaults.Security;

namespace Helpline.Intake.Callbacks;

/// <summary>What became of a caller's consent to a callback.</summary>
internal enum CallbackOutcome
{
    /// <summary>Stored, and <see cref="CallbackRequested"/> published.</summary>
    Recorded,

    /// <summary>Stored already for this call; nothing changed.</summary>
    AlreadyRecorded,

    /// <summary>No callback was offered on this call (callbacks off, not an Overflow, a withheld number).</summary>
    NotOffered,

    UnknownCall,
}

/// <summary>
/// Records a caller's consent to a callback, for every door (Twilio's gather, <c>POST /api/calls/{id}/callback</c>):
/// under the call's row lock, the encrypted number (<c>callback_requests</c>), the call's
/// <c>callback_requested_at</c> and the <see cref="CallbackRequested"/> outbox message (which carries no
/// number) in one transaction. Only a call that was offered a callback can take one; a repeat changes nothing.
/// </summary>
internal sealed partial class CallbackRecorder(
    IntakeDbContext db,
    CallStore calls,
    FieldEncryption encryption,
    ILogger<CallbackRecorder> logger)
{
    /// <param name="requestedAt">When the caller consented (the request's time, or <paramref name="now"/>).</param>
    public async Task<(CallbackOutcome Outcome, Guid? ContactId)> RecordAsync(
        string provider,
        string providerCallId,
        PhoneNumber number,
        DateTimeOffset requestedAt,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var change = await calls.ApplyAsync(provider, providerCallId, new CallEvent.CallbackConsented(requestedAt), now, cancellationToken, stage: staged =>
        {
            if (staged.Transition.Effects.OfType<CallEffect.KeepCallbackNumber>().Any())
            {
                var contactId = staged.Stored.Id;
                db.CallbackRequests.Add(new CallbackRequest
                {
                    ContactId = contactId,
                    EncryptedNumber = encryption.Encrypt(number.Value, CallbackRequest.AssociatedData(contactId), FieldPurpose.Shared),
                    RequestedAt = requestedAt,
                });
            }
        });

        var outcome = change?.Verdict switch
        {
            null => CallbackOutcome.UnknownCall,
            CallVerdict.Applied => CallbackOutcome.Recorded,
            CallVerdict.Repeated => CallbackOutcome.AlreadyRecorded,
            _ => CallbackOutcome.NotOffered,
        };
        LogOutcome(logger, change?.Stored.Id, outcome);
        return (outcome, change?.Stored.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback consent for contact {ContactId}: {Outcome}")]
    private static partial void LogOutcome(ILogger logger, Guid? contactId, CallbackOutcome outcome);
}
