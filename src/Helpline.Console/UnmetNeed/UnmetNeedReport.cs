using Helpline.Console.Data;
using Helpline.Console.Directory;
using Helpline.Console.Referrals;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Helpline.Console.UnmetNeed;

/// <summary>The relationship categories the report breaks "no eligible local service" down by (the record's relationships, grouped).</summary>
internal static class RelationshipCategories
{
    public static readonly IReadOnlyList<string> All = ["exPartner", "acquaintance", "stranger", "family", "colleague", "onlineOnly", "unknown"];

    /// <summary>SQL mapping a record's relationship to its category: a friend, acquaintance or neighbour is an acquaintance; not recorded is unknown.</summary>
    public const string Sql = """
        CASE r.relationship
          WHEN 'exPartner' THEN 'exPartner'
          WHEN 'friendOrAcquaintance' THEN 'acquaintance'
          WHEN 'neighbour' THEN 'acquaintance'
          WHEN 'stranger' THEN 'stranger'
          WHEN 'family' THEN 'family'
          WHEN 'colleague' THEN 'colleague'
          WHEN 'onlineOnly' THEN 'onlineOnly'
          ELSE 'unknown'
        END
        """;
}

/// <summary>One commissioning area's figures (definitions in docs/unmet-need.md).</summary>
internal sealed record UnmetNeedFigures(
    long Contacts,
    long NeedingLocalSupport,
    long ReferredLocally,
    long ReferredOnlyNationally,
    long NoEligibleLocalService,
    IReadOnlyDictionary<string, long> NoEligibleLocalServiceByRelationship,
    long NotMatched,
    long LackOfCapacity);

internal sealed record UnmetNeedArea(string? Code, string Name, string? CommissioningBodyId, string? CommissioningBodyName, UnmetNeedFigures Figures);

internal sealed record UnmetNeedPeriod(string Id, string Label, DateOnly Start, DateOnly End);

internal sealed record UnmetNeedResult(UnmetNeedPeriod Period, string Definitions, IReadOnlyList<UnmetNeedArea> Areas, UnmetNeedArea AreaNotRecorded, UnmetNeedFigures Totals);

/// <summary>
/// Unmet need per commissioning area (the police force area, with the body that commissions for it
/// now) over a period: SQL over the contact records, what matching found when each was saved
/// (<see cref="ContactMatch"/>) and the referrals, in one round trip. Every area is listed, with zeros
/// where nothing came from it; contacts whose record names no area have a row of their own, so the
/// rows add up to every record of the period.
/// </summary>
internal sealed class UnmetNeedReport(ConsoleDbContext db)
{
    public const string DefinitionsPath = "docs/unmet-need.md";

    private static readonly string Query = $"""
        WITH c AS (
          SELECT r.police_force_code AS force,
                 {RelationshipCategories.Sql} AS category,
                 r.needs && ARRAY['referral', 'advocacy']::text[] AS needs_local,
                 m.local_eligible,
                 x.local_referral, x.national_referral, coalesce(x.lack_of_capacity, 0) AS lack_of_capacity
          FROM console.contacts k
          JOIN console.contact_records r ON r.contact_id = k.id
          LEFT JOIN console.contact_matches m ON m.contact_id = k.id
          LEFT JOIN LATERAL (
            SELECT bool_or(f.is_local) FILTER (WHERE f.status <> '{ReferralVocabulary.Withdrawn}') AS local_referral,
                   bool_or(NOT f.is_local) FILTER (WHERE f.status <> '{ReferralVocabulary.Withdrawn}') AS national_referral,
                   count(*) FILTER (WHERE f.status = '{ReferralVocabulary.Done}' AND f.reason = '{ReferralVocabulary.LackOfCapacity}') AS lack_of_capacity
            FROM console.referrals f WHERE f.contact_id = k.id
          ) x ON true
          WHERE k.received_at >= @from AND k.received_at < @to
        )
        SELECT c.force,
               count(*) AS contacts,
               count(*) FILTER (WHERE c.needs_local) AS needing,
               count(*) FILTER (WHERE c.local_referral) AS referred_locally,
               count(*) FILTER (WHERE c.national_referral AND NOT coalesce(c.local_referral, false)) AS referred_only_nationally,
               count(*) FILTER (WHERE c.needs_local AND c.local_eligible = 0) AS no_eligible,
               {string.Join(",\n       ", RelationshipCategories.All.Select(cat => $"count(*) FILTER (WHERE c.needs_local AND c.local_eligible = 0 AND c.category = '{cat}') AS no_eligible_{cat}"))},
               count(*) FILTER (WHERE c.needs_local AND c.local_eligible IS NULL) AS not_matched,
               coalesce(sum(c.lack_of_capacity), 0)::bigint AS lack_of_capacity
        FROM c
        GROUP BY c.force
        """;

    public async Task<UnmetNeedResult> RunAsync(ReportPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var (from, to) = period.Instants;
        var rows = new Dictionary<string, UnmetNeedFigures>(StringComparer.OrdinalIgnoreCase);
        UnmetNeedFigures? notRecorded = null;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            await using var command = new NpgsqlCommand(Query, connection);
            command.Parameters.AddWithValue("from", from);
            command.Parameters.AddWithValue("to", to);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var i = 1;
                long Next() => reader.GetInt64(i++);
                var figures = new UnmetNeedFigures(Next(), Next(), Next(), Next(), Next(), RelationshipCategories.All.ToDictionary(c => c, _ => Next(), StringComparer.Ordinal), Next(), Next());
                if (reader.IsDBNull(0))
                {
                    notRecorded = figures;
                }
                else
                {
                    rows[reader.GetString(0)] = figures;
                }
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }

        var forces = await db.Set<ForceArea>().AsNoTracking().OrderBy(f => f.Name).ToListAsync(cancellationToken);
        var bodies = await db.Set<CommissioningBody>().AsNoTracking().ToDictionaryAsync(b => b.Id, b => b.Name, StringComparer.Ordinal, cancellationToken);
        var areas = forces.Select(f => new UnmetNeedArea(f.Code, f.Name, f.CommissioningBodyId, bodies.GetValueOrDefault(f.CommissioningBodyId), rows.GetValueOrDefault(f.Code) ?? Zero)).ToList();
        var unknown = new UnmetNeedArea(null, "Area not recorded", null, null, notRecorded ?? Zero);
        return new UnmetNeedResult(
            new UnmetNeedPeriod(period.Id, period.Label, period.Start, period.End),
            DefinitionsPath,
            areas,
            unknown,
            Sum([.. areas.Select(a => a.Figures), unknown.Figures]));
    }

    private static readonly UnmetNeedFigures Zero = new(0, 0, 0, 0, 0, RelationshipCategories.All.ToDictionary(c => c, _ => 0L, StringComparer.Ordinal), 0, 0);

    private static UnmetNeedFigures Sum(IReadOnlyList<UnmetNeedFigures> all) => new(
        all.Sum(f => f.Contacts),
        all.Sum(f => f.NeedingLocalSupport),
        all.Sum(f => f.ReferredLocally),
        all.Sum(f => f.ReferredOnlyNationally),
        all.Sum(f => f.NoEligibleLocalService),
        RelationshipCategories.All.ToDictionary(c => c, c => all.Sum(f => f.NoEligibleLocalServiceByRelationship[c]), StringComparer.Ordinal),
        all.Sum(f => f.NotMatched),
        all.Sum(f => f.LackOfCapacity));
}
