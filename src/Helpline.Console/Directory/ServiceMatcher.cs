using System.Globalization;
using Helpline.Console.Records;

namespace Helpline.Console.Directory;

/// <summary>What matching needs to know about the caller (all from the contact record; null when not recorded).</summary>
internal sealed record CallerFacts(
    string? LocalAuthorityCode,
    string? PoliceForceCode,
    string? Relationship,
    string? RiskBand,
    string? AgeGroup,
    string? Gender)
{
    public static CallerFacts Of(ContactRecord? record) =>
        new(record?.LocalAuthorityCode, record?.PoliceForceCode, record?.Relationship, record?.RiskBand, record?.AgeGroup, record?.Gender);
}

internal enum MatchOutcome
{
    /// <summary>Eligible on everything recorded, accepting referrals, funded today.</summary>
    Match = 0,

    /// <summary>Eligible unless something not yet recorded rules it out (each such criterion is a reason to check).</summary>
    Check = 1,

    /// <summary>Not for this caller now; the reasons say why.</summary>
    NoMatch = 2,
}

/// <summary>Why a service does not match, or what to check: the criterion (<c>area</c>, <c>relationship</c>, <c>riskBand</c>, <c>age</c>, <c>gender</c>, <c>status</c>, <c>funding</c>) and words for the advisor.</summary>
internal sealed record MatchReason(string Criterion, string Text);

/// <summary>One service against one caller.</summary>
internal sealed record ServiceMatch(
    SupportService Service,
    bool IsLocal,
    MatchOutcome Outcome,

    // The caller meets the service's criteria (area, relationship, risk, age, gender), whatever its status or funding.
    bool Eligible,
    IReadOnlyList<MatchReason> Reasons);

/// <summary>
/// The services for a caller, ranked: local matches first, then national ones (each: definite before
/// "check", the most local coverage first, then by name); then every other service with its reasons
/// (eligible but not available now, then in the caller's area but not eligible, then elsewhere, whose
/// only reason is that: nothing else is checked for a service that does not cover the caller's area).
/// </summary>
internal sealed record MatchResult(IReadOnlyList<ServiceMatch> Matches, IReadOnlyList<ServiceMatch> NonMatches)
{
    public int LocalEligible => Matches.Concat(NonMatches).Count(m => m.IsLocal && m.Eligible);

    public int NationalEligible => Matches.Concat(NonMatches).Count(m => !m.IsLocal && m.Eligible);
}

/// <summary>
/// Matching (docs/directory.md, "Matching"): pure and deterministic: the same caller, services,
/// geography and day give the same ranked list and the same reasons.
/// </summary>
internal static class ServiceMatcher
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    private static readonly Dictionary<string, string> RelationshipWords = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["exPartner"] = "an ex-partner",
        ["family"] = "a family member",
        ["friendOrAcquaintance"] = "a friend or acquaintance",
        ["colleague"] = "a colleague",
        ["neighbour"] = "a neighbour",
        ["stranger"] = "a stranger",
        ["onlineOnly"] = "someone known only online",
    };

    private static readonly Dictionary<string, string> GenderWords = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["female"] = "women",
        ["male"] = "men",
        ["nonBinary"] = "non-binary people",
    };

    public static MatchResult Match(CallerFacts caller, IEnumerable<SupportService> services, AreaDirectory areas, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(areas);
        if (caller.PoliceForceCode is null && caller.LocalAuthorityCode is { } lad && areas.LocalAuthority(lad) is { } authority)
        {
            caller = caller with { PoliceForceCode = authority.PoliceForceCode };
        }

        var results = services.Select(s => Evaluate(caller, s, areas, today)).ToList();
        var matches = results.Where(r => r.Match.Outcome != MatchOutcome.NoMatch)
            .OrderBy(r => r.Match.IsLocal ? 0 : 1)
            .ThenBy(r => r.Match.Outcome)
            .ThenBy(r => r.Specificity)
            .ThenBy(r => r.Match.Service.Name, StringComparer.Ordinal)
            .ThenBy(r => r.Match.Service.Id, StringComparer.Ordinal)
            .Select(r => r.Match)
            .ToList();
        var nonMatches = results.Where(r => r.Match.Outcome == MatchOutcome.NoMatch)
            .OrderBy(r => r.Match.Eligible ? 0 : r.Covered ? 1 : 2)
            .ThenBy(r => r.Match.IsLocal ? 0 : 1)
            .ThenBy(r => r.Match.Service.Name, StringComparer.Ordinal)
            .ThenBy(r => r.Match.Service.Id, StringComparer.Ordinal)
            .Select(r => r.Match)
            .ToList();
        return new MatchResult(matches, nonMatches);
    }

    /// <summary>A service is national when it covers a whole nation.</summary>
    public static bool IsNational(SupportService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Areas.Any(DirectoryVocabulary.Nations.ContainsKey);
    }

    private sealed record Evaluation(ServiceMatch Match, bool Covered, int Specificity);

    private static readonly IReadOnlyList<MatchReason> Elsewhere = [new("area", "not in this area")];

    private static Evaluation Evaluate(CallerFacts caller, SupportService service, AreaDirectory areas, DateOnly today)
    {
        if (ClearlyElsewhere(caller, service, areas))
        {
            return new Evaluation(new ServiceMatch(service, !IsNational(service), MatchOutcome.NoMatch, false, Elsewhere), false, 3);
        }

        var failed = new List<MatchReason>();
        var check = new List<MatchReason>();
        var national = IsNational(service);
        var (covered, specificity) = Coverage(caller, service, national, areas, failed, check);
        if (failed.Count > 0)
        {
            // Somewhere else: that is the reason, whatever else would also rule it out.
            return new Evaluation(new ServiceMatch(service, !national, MatchOutcome.NoMatch, false, failed), false, specificity);
        }

        Relationship(caller, service, failed, check);
        Risk(caller, service, failed, check);
        Age(caller, service, failed, check);
        Gender(caller, service, failed, check);
        var eligible = failed.Count == 0;
        var unavailable = Availability(service, today);
        failed.AddRange(unavailable);
        var outcome = failed.Count > 0 ? MatchOutcome.NoMatch : check.Count > 0 ? MatchOutcome.Check : MatchOutcome.Match;
        IReadOnlyList<MatchReason> reasons = outcome == MatchOutcome.NoMatch ? failed : check;
        return new Evaluation(new ServiceMatch(service, !national, outcome, eligible, reasons), covered, specificity);
    }

    /// <summary>
    /// The common case, answered without allocating: the caller's force area (so their nation) is known, and the
    /// service names none of the caller's local authority, force area or nation, nor a local authority in that force area.
    /// </summary>
    private static bool ClearlyElsewhere(CallerFacts caller, SupportService service, AreaDirectory areas)
    {
        if (caller.PoliceForceCode is not { } force || DirectoryVocabulary.NationOf(force) is not { } nation)
        {
            return false;
        }

        foreach (var code in service.Areas)
        {
            if (code.Equals(force, StringComparison.OrdinalIgnoreCase)
                || code.Equals(caller.LocalAuthorityCode, StringComparison.OrdinalIgnoreCase)
                || code.Equals(nation, StringComparison.Ordinal)
                || areas.LocalAuthority(code)?.PoliceForceCode.Equals(force, StringComparison.OrdinalIgnoreCase) == true)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the service covers where the caller is, and how closely (0: their local authority, 1: their force area, 2: their nation).</summary>
    private static (bool Covered, int Specificity) Coverage(CallerFacts caller, SupportService service, bool national, AreaDirectory areas, List<MatchReason> failed, List<MatchReason> check)
    {
        var codes = service.Areas;
        var nation = DirectoryVocabulary.NationOf(caller.PoliceForceCode ?? caller.LocalAuthorityCode);
        if (caller.LocalAuthorityCode is { } lad && codes.Contains(lad, StringComparer.OrdinalIgnoreCase))
        {
            return (true, 0);
        }

        if (caller.PoliceForceCode is { } pfa && codes.Contains(pfa, StringComparer.OrdinalIgnoreCase))
        {
            return (true, 1);
        }

        if (nation is not null && codes.Contains(nation, StringComparer.Ordinal))
        {
            return (true, 2);
        }

        if (nation is null)
        {
            if (national && DirectoryVocabulary.Nations.Keys.All(n => codes.Contains(n, StringComparer.Ordinal)))
            {
                return (true, 2);
            }

            var where = $"{Names(codes, areas)} only";
            if (national)
            {
                check.Add(new("area", $"{where}: the caller's area is not recorded"));
            }
            else
            {
                failed.Add(new("area", $"not in this area (the caller's area is not recorded; {where})"));
            }

            return (false, 3);
        }

        var partsOfForce = caller.PoliceForceCode is { } force
            ? codes.Where(c => areas.LocalAuthority(c)?.PoliceForceCode.Equals(force, StringComparison.OrdinalIgnoreCase) == true).ToList()
            : [];
        if (partsOfForce.Count > 0 && caller.LocalAuthorityCode is null)
        {
            check.Add(new("area", $"only part of {areas.PoliceForce(caller.PoliceForceCode!)?.Name ?? caller.PoliceForceCode}: {Names(partsOfForce, areas)}; the caller's local authority is not recorded"));
            return (true, 0);
        }

        failed.Add(new("area", partsOfForce.Count > 0 ? $"not in this area ({Names(partsOfForce, areas)} only)" : "not in this area"));
        return (false, 3);
    }

    private static void Relationship(CallerFacts caller, SupportService service, List<MatchReason> failed, List<MatchReason> check)
    {
        var allowed = service.Relationships;
        if (allowed.Count == 0)
        {
            return;
        }

        var text = allowed.Count == 1 && allowed[0] == "exPartner"
            ? "ex-partner stalking only"
            : allowed.Order(StringComparer.Ordinal).SequenceEqual(DirectoryVocabulary.RelationshipPresets["nonPartnerOnly"].Order(StringComparer.Ordinal))
                ? "not for ex-partner stalking"
                : $"only stalking by {Join(DirectoryVocabulary.Relationships.Where(allowed.Contains).Select(r => RelationshipWords[r]), "or")}";
        if (caller.Relationship is null or "unknown")
        {
            check.Add(new("relationship", $"{text}: the relationship to the stalker is not recorded"));
        }
        else if (!allowed.Contains(caller.Relationship))
        {
            failed.Add(new("relationship", text));
        }
    }

    private static void Risk(CallerFacts caller, SupportService service, List<MatchReason> failed, List<MatchReason> check)
    {
        var allowed = service.RiskBands;
        if (allowed.Count == 0)
        {
            return;
        }

        var text = $"{Join(allowed, "or")} risk only";
        if (caller.RiskBand is null)
        {
            check.Add(new("riskBand", $"{text}: no risk screening recorded"));
        }
        else if (!allowed.Contains(caller.RiskBand))
        {
            failed.Add(new("riskBand", text));
        }
    }

    private static void Age(CallerFacts caller, SupportService service, List<MatchReason> failed, List<MatchReason> check)
    {
        if (service.MinAge is null && service.MaxAge is null)
        {
            return;
        }

        var min = service.MinAge ?? 0;
        var max = service.MaxAge ?? AgeGroup.Oldest;
        var text = (service.MinAge, service.MaxAge) switch
        {
            ({ } from, null) => $"aged {from} or over only",
            (null, { } to) => $"aged {to} or under only",
            var (from, to) => $"aged {from} to {to} only",
        };
        if (DirectoryVocabulary.AgeGroupOf(caller.AgeGroup) is not { } group)
        {
            check.Add(new("age", $"{text}: the caller's age is not recorded"));
        }
        else if (group.To < min || group.From > max)
        {
            failed.Add(new("age", text));
        }
        else if (group.From < min || group.To > max)
        {
            check.Add(new("age", $"{text}: check the caller's age"));
        }
    }

    private static void Gender(CallerFacts caller, SupportService service, List<MatchReason> failed, List<MatchReason> check)
    {
        var allowed = service.Genders;
        if (allowed.Count == 0)
        {
            return;
        }

        var text = $"{Join(DirectoryVocabulary.Genders.Where(allowed.Contains).Select(g => GenderWords[g]), "and")} only";
        if (caller.Gender is null)
        {
            check.Add(new("gender", $"{text}: the caller's gender is not recorded"));
        }
        else if (caller.Gender == "other")
        {
            check.Add(new("gender", $"{text}: check with the service"));
        }
        else if (!allowed.Contains(caller.Gender))
        {
            failed.Add(new("gender", text));
        }
    }

    private static IEnumerable<MatchReason> Availability(SupportService service, DateOnly today)
    {
        var until = service.StatusUntil is { } date ? $" until {Date(date)}" : "";
        if (service.Status == DirectoryVocabulary.WaitingList)
        {
            yield return new("status", $"waiting list{until}");
        }
        else if (service.Status == DirectoryVocabulary.Closed)
        {
            yield return new("status", $"closed{until}");
        }

        if (service.FundedUntil is { } end && end < today)
        {
            yield return new("funding", $"funding ended on {Date(end)}");
        }
        else if (service.FundedFrom is { } start && start > today)
        {
            yield return new("funding", $"funded from {Date(start)}");
        }
    }

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", English);

    private static string Names(IEnumerable<string> codes, AreaDirectory areas) =>
        Join(codes.Select(c => DirectoryVocabulary.Nations.GetValueOrDefault(c) ?? areas.LocalAuthority(c)?.Name ?? areas.PoliceForce(c)?.Name ?? c), "and");

    private static string Join(IEnumerable<string> words, string conjunction)
    {
        var list = words.ToList();
        return list.Count <= 1 ? string.Concat(list) : $"{string.Join(", ", list[..^1])} {conjunction} {list[^1]}";
    }
}
