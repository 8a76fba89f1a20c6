using System.Text.RegularExpressions;
using Helpline.Console.Advisors;
using Helpline.Console.Audit;
using Helpline.Console.Data;
using Helpline.Console.RouterHosting;
using Helpline.Contracts;
using Helpline.Routing;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Accounts;

/// <summary>Admins add advisors and supervisors, set what advisors take, and disable accounts.</summary>
internal static partial class AdminEndpoints
{
    public static async Task<Ok<List<UserView>>> List(ConsoleDbContext db, UserManager<HelplineUser> users, CancellationToken cancellationToken)
    {
        var profiles = await db.Advisors.AsNoTracking().ToDictionaryAsync(a => a.Id, cancellationToken);
        var views = new List<UserView>();
        foreach (var user in await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken))
        {
            views.Add(UserView.From(user, await users.GetRolesAsync(user), profiles.GetValueOrDefault(user.Id)));
        }

        return TypedResults.Ok(views);
    }

    public static async Task<Results<Created<UserView>, ValidationProblem>> Create(NewUser request, AccountSeeder seeder, UserManager<HelplineUser> users, AuditTrail audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The account is not valid.");
        }

        var profile = new Advisor
        {
            UserName = request.UserName,
            Skills = request.Skills ?? Skills.CallsAndEmails,
            EmailCapacity = request.EmailCapacity ?? 3,
            CallEndpoint = request.CallEndpoint ?? $"client:{request.UserName}",
        };
        var (user, identityErrors) = await seeder.CreateAsync(request.UserName, request.Password, request.Roles, profile);
        if (user is null)
        {
            return TypedResults.ValidationProblem(
                identityErrors.GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "userName")
                    .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()),
                title: "The account is not valid.");
        }

        var created = await users.FindByIdAsync(user.Id.ToString());
        await audit.RecordAsync("account.created", target: user.Id.ToString(), detail: string.Join(",", request.Roles));
        return TypedResults.Created($"/api/admin/users/{user.Id}", UserView.From(created!, await users.GetRolesAsync(created!), profile));
    }

    public static async Task<Results<Ok<UserView>, NotFound, ValidationProblem>> Update(
        Guid id,
        UserChange change,
        ConsoleDbContext db,
        UserManager<HelplineUser> users,
        AdvisorCommands router,
        SessionRevocation sessions,
        AuditTrail audit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var errors = change.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The change is not valid.");
        }

        var user = await users.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        var profile = await db.Advisors.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (profile is not null && (change.Skills is not null || change.EmailCapacity is not null || change.CallEndpoint is not null))
        {
            profile.Skills = change.Skills ?? profile.Skills;
            profile.EmailCapacity = change.EmailCapacity ?? profile.EmailCapacity;
            profile.CallEndpoint = change.CallEndpoint ?? profile.CallEndpoint;
            await db.SaveChangesAsync(cancellationToken);
            await router.SendAsync(new AdvisorCommand.ReloadProfile(id), cancellationToken);
        }

        if (change.Disabled is { } disabled)
        {
            await users.SetLockoutEndDateAsync(user, disabled ? DateTimeOffset.MaxValue : null);
            if (disabled)
            {
                await sessions.RevokeAsync(user, stampChanged: false, cancellationToken);
            }
        }

        var changed = new[] { change.Skills is null ? null : "skills", change.EmailCapacity is null ? null : "emailCapacity", change.CallEndpoint is null ? null : "callEndpoint", change.Disabled switch { true => "disabled", false => "enabled", null => null } };
        await audit.RecordAsync("account.updated", target: id.ToString(), detail: string.Join(",", changed.Where(c => c is not null)), cancellationToken: cancellationToken);
        return TypedResults.Ok(UserView.From(user, await users.GetRolesAsync(user), profile));
    }

    [GeneratedRegex("^[a-z0-9._-]{1,64}$")]
    public static partial Regex UserNamePattern();

    /// <summary>Where an advisor's calls are bridged: <c>client:identity</c> (a Twilio Client) or a phone number.</summary>
    public static bool IsCallEndpoint(string text) =>
        text.StartsWith("client:", StringComparison.Ordinal) ? ClientIdentityPattern().IsMatch(text[7..]) : PhoneNumber.IsValid(text);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ClientIdentityPattern();
}

internal sealed record NewUser(string UserName, string Password, IReadOnlyList<string> Roles, Skills? Skills, int? EmailCapacity, string? CallEndpoint)
{
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (UserName is null || !AdminEndpoints.UserNamePattern().IsMatch(UserName))
        {
            errors["userName"] = ["1 to 64 lower-case letters, digits, dots, dashes or underscores."];
        }

        if (Password is null or { Length: > 256 })
        {
            errors["password"] = ["A password is required (12 to 256 characters)."];
        }

        if (Roles is null || Roles.Count == 0 || Roles.Any(r => !Accounts.Roles.All.Contains(r)))
        {
            errors["roles"] = [$"One or more of {string.Join(", ", Accounts.Roles.All)}."];
        }

        UserChange.ValidateProfile(errors, Skills, EmailCapacity, CallEndpoint);
        return errors;
    }
}

internal sealed record UserChange(Skills? Skills, int? EmailCapacity, string? CallEndpoint, bool? Disabled)
{
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        ValidateProfile(errors, Skills, EmailCapacity, CallEndpoint);
        return errors;
    }

    internal static void ValidateProfile(Dictionary<string, string[]> errors, Skills? skills, int? emailCapacity, string? callEndpoint)
    {
        if (skills is { } s && (s == Helpline.Routing.Skills.None || !Enum.IsDefined(s)))
        {
            errors["skills"] = ["Calls, Emails or CallsAndEmails."];
        }

        if (emailCapacity is < 1 or > 20)
        {
            errors["emailCapacity"] = ["From 1 to 20 conversations."];
        }

        if (callEndpoint is not null && !AdminEndpoints.IsCallEndpoint(callEndpoint))
        {
            errors["callEndpoint"] = ["client:<identity> or an E.164 number."];
        }
    }
}

internal sealed record UserView(Guid Id, string UserName, IReadOnlyList<string> Roles, bool Disabled, Skills? Skills, int? EmailCapacity, string? CallEndpoint)
{
    public static UserView From(HelplineUser user, IList<string> roles, Advisor? profile)
    {
        return new(user.Id, user.UserName!, roles.Order(StringComparer.Ordinal).ToList(), user.LockoutEnd == DateTimeOffset.MaxValue, profile?.Skills, profile?.EmailCapacity, profile?.CallEndpoint);
    }
}
