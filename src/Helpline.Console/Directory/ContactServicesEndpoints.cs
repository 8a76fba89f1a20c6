using System.Security.Claims;
using Helpline.Console.Data;
using Helpline.Console.Records;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Helpline.Console.Directory;

/// <summary>The services for one contact, matched on what its record holds now (docs/directory.md, "Matching").</summary>
internal static class ContactServicesEndpoints
{
    public static async Task<Results<Ok<ContactServices>, NotFound>> GetServices(
        Guid contactId,
        bool? all,
        ClaimsPrincipal user,
        ContactRecords records,
        ConsoleDbContext db,
        DirectoryCatalog catalog,
        AreaDirectory areas,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(time);
        if (await records.FindAsync(contactId, user, write: false, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var caller = CallerFacts.Of(await records.LoadAsync(contactId, cancellationToken));
        var directory = await catalog.CurrentAsync(db, cancellationToken);
        return TypedResults.Ok(Shown(caller, ServiceMatcher.Match(caller, directory.Services, areas, DirectoryClock.Today(time)), all == true));
    }

    /// <summary>The matches and non-matches as the API gives them; those elsewhere only counted unless <paramref name="all"/>.</summary>
    public static ContactServices Shown(CallerFacts caller, MatchResult result, bool all)
    {
        ArgumentNullException.ThrowIfNull(result);
        var shown = all ? result.NonMatches : result.NonMatches.Where(m => !IsElsewhere(m)).ToList();
        return new ContactServices(
            caller,
            [.. result.Matches.Select(MatchView.From)],
            [.. shown.Select(MatchView.From)],
            result.NonMatches.Count(IsElsewhere));
    }

    /// <summary>Not for this caller only because it is somewhere else.</summary>
    private static bool IsElsewhere(ServiceMatch match) => match.Reasons is [{ Criterion: "area" }];
}
