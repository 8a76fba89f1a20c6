using Helpline.Console.Records;

namespace Helpline.Console.Directory;

/// <summary>An ONS code with its name.</summary>
internal sealed record NamedArea(string Code, string Name);

/// <summary>A service as the API gives it: its editable <see cref="Data"/>, plus what the server knows about it.</summary>
internal sealed record ServiceView(
    string Id,
    int Version,
    DateTimeOffset UpdatedAt,

    // <c>local</c> or <c>national</c> (it covers a whole nation).
    string Scope,
    string? CommissioningBodyName,
    IReadOnlyList<NamedArea> AreaNames,
    ServiceData Data)
{
    public static ServiceView From(SupportService service, DirectorySnapshot directory, AreaDirectory areas)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(areas);
        return new ServiceView(
            service.Id,
            service.Version,
            service.UpdatedAt,
            ServiceMatcher.IsNational(service) ? "national" : "local",
            service.CommissioningBodyId is { } body ? directory.Bodies.GetValueOrDefault(body)?.Name : null,
            [.. service.Areas.Select(code => new NamedArea(code, AreaName(code, areas)))],
            ServiceData.From(service));
    }

    public static string AreaName(string code, AreaDirectory areas)
    {
        ArgumentNullException.ThrowIfNull(areas);
        return DirectoryVocabulary.Nations.GetValueOrDefault(code) ?? areas.PoliceForce(code)?.Name ?? areas.LocalAuthority(code)?.Name ?? code;
    }
}

internal sealed record CommissioningBodyView(string Id, string Name, string Kind, int Version, IReadOnlyList<NamedArea> ForceAreas);

/// <summary>What an admin sends to create or rename a commissioning body.</summary>
internal sealed record CommissioningBodyData(string? Name, string? Kind);

internal sealed record ForceAreaView(string Code, string Name, string CommissioningBodyId, string CommissioningBodyName, int Version);

/// <summary>What an admin sends to give a force area to another commissioning body.</summary>
internal sealed record ForceAreaData(string? CommissioningBodyId);

/// <summary>One version of a directory entry: who made it and when, which fields changed, and the whole entry as it became.</summary>
internal sealed record HistoryEntry(
    int Version,
    DateTimeOffset At,
    string Change,
    Guid? ActorId,
    string? ActorName,
    IReadOnlyList<string> ChangedFields,
    System.Text.Json.JsonElement Snapshot);

/// <summary>The services for one contact: the caller's facts used, the ranked matches, and every other service with why it does not match.</summary>
internal sealed record ContactServices(
    CallerFacts Caller,
    IReadOnlyList<MatchView> Matches,
    IReadOnlyList<MatchView> NonMatches,

    // Services elsewhere (their only reason: not in this area), left out of <see cref="NonMatches"/> unless asked for with all=true.
    int NotInAreaCount);

internal sealed record MatchView(
    string ServiceId,
    string Name,
    string Provider,
    string Scope,
    string Outcome,
    bool Eligible,
    IReadOnlyList<MatchReason> Reasons,
    string ReferralMethod,
    string? Phone,
    string? Website,
    string? Hours,
    string Status,
    DateOnly? StatusUntil,
    IReadOnlyList<string> ReferralFields)
{
    public static MatchView From(ServiceMatch match)
    {
        ArgumentNullException.ThrowIfNull(match);
        var s = match.Service;
        return new MatchView(
            s.Id, s.Name, s.Provider, match.IsLocal ? "local" : "national", Camel(match.Outcome), match.Eligible, match.Reasons,
            s.ReferralMethod, s.Phone, s.Website, s.Hours, s.Status, s.StatusUntil, s.ReferralFields);
    }

    private static string Camel(MatchOutcome outcome) => outcome switch
    {
        MatchOutcome.Match => "match",
        MatchOutcome.Check => "check",
        _ => "noMatch",
    };
}
