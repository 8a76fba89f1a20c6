using Helpline.Intake.Data;
using Helpline.Intake.Hours;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Intake.Email;

/// <summary>
/// How long the helpline was open between a conversation's first message and a reply going out, by
/// Intake's opening hours (weekly hours, bank holidays, closures): the figure the reports show as the
/// first human reply time in opening hours. Intake computes it because the opening hours live here;
/// Console keeps the one of the first reply.
/// </summary>
internal sealed class ReplyOpenTime(IntakeDbContext db, OpeningHoursService openingHours)
{
    /// <summary>The open time from the conversation's first inbound message to <paramref name="sentAt"/>; null when it has none.</summary>
    public async Task<TimeSpan?> SinceFirstMessageAsync(Guid conversationId, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        var first = await db.EmailMessages
            .Where(e => e.ConversationId == conversationId && e.Direction == EmailDirection.Inbound)
            .MinAsync(e => (DateTimeOffset?)e.ReceivedAt, cancellationToken);
        if (first is not { } received)
        {
            return null;
        }

        var hours = await openingHours.ForAsync(received, sentAt, cancellationToken);
        return hours.OpenTimeBetween(received, sentAt);
    }
}
