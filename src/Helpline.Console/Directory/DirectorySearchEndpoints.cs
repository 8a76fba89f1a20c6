using Helpline.Console.Data;
using Helpline.Console.Records;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Helpline.Console.Directory;

/// <summary>The directory screen's search (docs/directory.md, "The directory screen"): matching on facts typed into the search, not a contact's record.</summary>
internal static class DirectorySearchEndpoints
{
    public static async Task<Results<Ok<ContactServices>, ValidationProblem>> Match(
        string? localAuthority,
        string? policeForce,
        string? relationship,
        string? riskBand,
        bool? all,
        ConsoleDbContext db,
        DirectoryCatalog catalog,
        AreaDirectory areas,
        RiskScreening screening,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(areas);
        ArgumentNullException.ThrowIfNull(screening);
        ArgumentNullException.ThrowIfNull(time);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var authority = Blank(localAuthority)?.ToUpperInvariant();
        var force = Blank(policeForce)?.ToUpperInvariant();
        var relation = Blank(relationship);
        var band = Blank(riskBand);
        if (authority is not null && areas.LocalAuthority(authority) is null)
        {
            errors["localAuthority"] = ["Choose a local authority from the list (an ONS LAD19 code)."];
        }

        if (force is not null && areas.PoliceForce(force) is null)
        {
            errors["policeForce"] = ["Choose a police force area from the list (an ONS PFA19 code)."];
        }

        if (relation is not null && !RecordVocabulary.Relationships.Contains(relation, StringComparer.Ordinal))
        {
            errors["relationship"] = [$"The relationship is one of {string.Join(", ", RecordVocabulary.Relationships)}."];
        }

        if (band is not null && !screening.Current.Bands.Any(b => b.Id == band))
        {
            errors["riskBand"] = [$"The risk band is one of {string.Join(", ", screening.Current.Bands.Select(b => b.Id))}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Some of the search's values are not valid.");
        }

        var caller = new CallerFacts(authority, force, relation, band, AgeGroup: null, Gender: null);
        var directory = await catalog.CurrentAsync(db, cancellationToken);
        var result = ServiceMatcher.Match(caller, directory.Services, areas, DirectoryClock.Today(time));
        return TypedResults.Ok(ContactServicesEndpoints.Shown(caller, result, all == true));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
