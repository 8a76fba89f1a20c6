using System.Globalization;
using CsvHelper;

namespace Helpline.Console.UnmetNeed;

/// <summary>
/// The report as CSV: a row per commissioning area, then the "area not recorded" row, then the total;
/// the columns below, in this order, never renamed (docs/unmet-need.md, "CSV columns").
/// </summary>
internal static class UnmetNeedCsv
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "period", "period_start", "period_end", "force_area_code", "force_area_name", "commissioning_body_id", "commissioning_body_name",
        "contacts", "needing_local_support", "referred_locally", "referred_only_nationally", "no_eligible_local_service",
        .. RelationshipCategories.All.Select(c => $"no_eligible_{Snake(c)}"),
        "not_matched", "lack_of_capacity",
    ];

    public static string Write(UnmetNeedResult report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            foreach (var column in Columns)
            {
                csv.WriteField(column);
            }

            csv.NextRecord();
            UnmetNeedArea[] rows = [.. report.Areas, report.AreaNotRecorded, new UnmetNeedArea("total", "All areas", null, null, report.Totals)];
            foreach (var area in rows)
            {
                var f = area.Figures;
                object?[] cells =
                [
                    report.Period.Id, report.Period.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), report.Period.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    area.Code, area.Name, area.CommissioningBodyId, area.CommissioningBodyName,
                    f.Contacts, f.NeedingLocalSupport, f.ReferredLocally, f.ReferredOnlyNationally, f.NoEligibleLocalService,
                    .. RelationshipCategories.All.Select(c => (object)f.NoEligibleLocalServiceByRelationship[c]),
                    f.NotMatched, f.LackOfCapacity,
                ];
                foreach (var cell in cells)
                {
                    csv.WriteField(cell is IFormattable number ? number.ToString(null, CultureInfo.InvariantCulture) : cell as string ?? "");
                }

                csv.NextRecord();
            }
        }

        return text.ToString();
    }

    private static string Snake(string camel) => string.Concat(camel.Select(ch => char.IsUpper(ch) ? $"_{char.ToLowerInvariant(ch)}" : ch.ToString()));
}
