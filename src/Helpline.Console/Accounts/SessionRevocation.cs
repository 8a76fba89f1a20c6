using Helpline.Console.Advisors;
using Helpline.Console.Data;
using MassTransit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Accounts;

/// <summary>
/// Ends every session of an account (signing out, a password change, an admin disabling it): the
/// security stamp changes, so each cookie, bearer token and refresh token issued before is refused by
/// every policy (<see cref="CurrentSessionRequirement"/>) and every hub invocation
/// (<see cref="CurrentSessionHubFilter"/>); an advisor goes Offline (<see cref="AdvisorSessions"/>);
/// and the account's hub connections close, here at once and on the other instances through
/// <see cref="SessionEnded"/> (<see cref="SessionSweeper"/> is the backstop if that message is lost).
/// </summary>
internal sealed class SessionRevocation(
    UserManager<HelplineUser> users,
    ConsoleDbContext db,
    AdvisorSessions advisors,
    SessionConnections connections,
    IBus bus)
{
    /// <summary>Ends the account's sessions; <paramref name="stampChanged"/> when the caller has already changed the stamp (a password change does).</summary>
    public async Task RevokeAsync(HelplineUser user, bool stampChanged, CancellationToken cancellationToken)
    {
        if (!stampChanged)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        if (await db.Advisors.AsNoTracking().AnyAsync(a => a.Id == user.Id, cancellationToken))
        {
            await advisors.EndAsync(user.Id, cancellationToken);
        }

        connections.Close(user.Id);
        await bus.Publish(new SessionEnded { UserId = user.Id }, cancellationToken);
    }
}

/// <summary>Runs on every Console instance, on a queue of its own: closes the hub connections held here of an account whose sessions ended.</summary>
internal sealed class SessionEndedConsumer(SessionConnections connections) : IConsumer<SessionEnded>
{
    public Task Consume(ConsumeContext<SessionEnded> context)
    {
        connections.Close(context.Message.UserId);
        return Task.CompletedTask;
    }
}
