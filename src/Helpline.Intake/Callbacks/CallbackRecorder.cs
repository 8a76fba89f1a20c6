using Helpline.Contracts;
using Helpline.Intake.Calls;
using Helpline.Intake.Data;
using Helpline.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

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
    CallLifecycle lifecycle,
    FieldEncryption encryption,
    IOptions<CallbackOptions> options,
    ILogger<CallbackRecorder> logger)
{
    /// <param name="requestedAt">When the caller consented (the request's time, or <paramref name="now"/>).</param>
    public async Task<(CallbackOutcome Outcome, Guid? ContactId)> RecordAsync(
        string provider,
        string providerCallId,
        string number,
        DateTimeOffset requestedAt,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var change = await lifecycle.UpdateAsync(provider, providerCallId, call =>
        {
            if (call.CallbackRequestedAt is not null || call.State != CallState.Overflow || !options.Value.OfferedFor(call, UnansweredReason.Overflow))
            {
                return null;
            }

            call.CallbackRequestedAt = requestedAt;
            call.UpdatedAt = now;
            db.CallbackRequests.Add(new CallbackRequest { ContactId = call.Id, EncryptedNumber = encryption.Encrypt(number, CallbackRequest.AssociatedData(call.Id)), RequestedAt = requestedAt });
            return new CallbackRequested { ContactId = call.Id, RequestedAt = requestedAt };
        }, now, cancellationToken);

        var outcome = change switch
        {
            null => CallbackOutcome.UnknownCall,
            { Published: CallbackRequested } => CallbackOutcome.Recorded,
            { Call.CallbackRequestedAt: not null } => CallbackOutcome.AlreadyRecorded,
            _ => CallbackOutcome.NotOffered,
        };
        LogOutcome(logger, change?.Call.Id, outcome);
        return (outcome, change?.Call.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback consent for contact {ContactId}: {Outcome}")]
    private static partial void LogOutcome(ILogger logger, Guid? contactId, CallbackOutcome outcome);
}
