using Helpline.Intake.Data;
using Helpline.Intake.Email;
using Helpline.Intake.Hours;

namespace Helpline.Intake.Tests.Email;

/// <summary>
/// The first human reply time counted in opening hours, as Intake computes it for <see cref="EmailSent"/>:
/// from the conversation's first stored message, by the published hours (this fixture's) and the
/// closures in the database.
/// </summary>
public sealed class ReplyOpenTimeTests(EmailFixture fixture) : IClassFixture<EmailFixture>
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_reply_after_a_weekend_counts_only_the_open_hours()
    {
        await using var scope = fixture.Intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        var conversation = new EmailConversation
        {
            Id = Guid.NewGuid(),
            Token = Guid.NewGuid().ToString("N")[..10],
            SenderKey = "sender-key",
            CreatedAt = Utc("2026-11-27T15:00:00Z"),
            LastMessageAt = Utc("2026-11-30T08:00:00Z"),
        };
        db.EmailConversations.Add(conversation);
        foreach (var receivedAt in new[] { "2026-11-30T08:00:00Z", "2026-11-27T15:00:00Z" })
        {
            db.EmailMessages.Add(new StoredEmail
            {
                Id = Guid.NewGuid(),
                ConversationId = conversation.Id,
                Direction = EmailDirection.Inbound,
                MessageKey = $"reply-time-{Guid.NewGuid():N}",
                ReceivedAt = Utc(receivedAt),
                StoredAt = Utc(receivedAt),
            });
        }

        // A training quarter of an hour on Monday morning: closed although the weekly hours say open.
        db.Closures.Add(new Closure { Id = Guid.NewGuid(), StartsAt = Utc("2026-11-30T09:30:00Z"), EndsAt = Utc("2026-11-30T09:45:00Z"), Reason = "training", CreatedAt = Utc("2026-11-01T00:00:00Z") });
        await db.SaveChangesAsync();
        var replies = scope.ServiceProvider.GetRequiredService<ReplyOpenTime>();

        // Friday 3pm (first message) to Monday 10am (reply), GMT: Friday's last hour and Monday 9:45 to 10, not the weekend nor the closure.
        Assert.Equal(TimeSpan.FromMinutes(75), await replies.SinceFirstMessageAsync(conversation.Id, Utc("2026-11-30T10:00:00Z"), CancellationToken.None));
        Assert.Equal(TimeSpan.FromMinutes(60), await replies.SinceFirstMessageAsync(conversation.Id, Utc("2026-11-28T12:00:00Z"), CancellationToken.None));
        Assert.Null(await replies.SinceFirstMessageAsync(Guid.NewGuid(), Utc("2026-11-30T10:00:00Z"), CancellationToken.None));
    }
}
