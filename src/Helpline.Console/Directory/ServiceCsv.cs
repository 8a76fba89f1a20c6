using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Helpline.Console.Directory;

/// <summary>One row of an import: where it starts in the file, its service id and data, and what could not be read.</summary>
internal sealed record CsvServiceRow(int Line, string? Id, ServiceData Data, IReadOnlyList<ImportError> Errors);

/// <summary>A problem with an import: the line it starts on (1 is the header), the column, and what is wrong.</summary>
internal sealed record ImportError(int Line, string? Column, string Message);

/// <summary>
/// The directory as CSV (docs/directory.md, "CSV"): one row per service, the columns below in this
/// order, lists separated by <c>;</c>, dates as yyyy-MM-dd. The seed data and the export use the same
/// format, so an export imports back unchanged.
/// </summary>
internal static class ServiceCsv
{
    /// <summary>Column → the API field it fills (error keys map back through this).</summary>
    public static readonly IReadOnlyList<(string Column, string Field)> Columns =
    [
        ("id", "id"),
        ("provider", "provider"),
        ("name", "name"),
        ("description", "description"),
        ("commissioning_body", "commissioningBodyId"),
        ("funded_from", "fundedFrom"),
        ("funded_until", "fundedUntil"),
        ("areas", "areas"),
        ("relationships", "relationships"),
        ("risk_bands", "riskBands"),
        ("min_age", "minAge"),
        ("max_age", "maxAge"),
        ("genders", "genders"),
        ("referral_method", "referralMethod"),
        ("referral_email", "referralEmail"),
        ("phone", "phone"),
        ("website", "website"),
        ("referral_fields", "referralFields"),
        ("hours", "hours"),
        ("status", "status"),
        ("status_until", "statusUntil"),
        ("notes", "notes"),
        ("sources", "sources"),
    ];

    private static readonly string[] Required = ["id", "provider", "name", "areas", "referral_method", "status"];

    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        DetectDelimiter = false,
        TrimOptions = TrimOptions.Trim,
        BadDataFound = null,
        MissingFieldFound = null,
        IgnoreBlankLines = true,
    };

    public static string ColumnOf(string field) => Columns.FirstOrDefault(c => c.Field == field).Column ?? field;

    /// <summary>Reads every row; header problems come back as errors on line 1 and no rows.</summary>
    public static (IReadOnlyList<CsvServiceRow> Rows, IReadOnlyList<ImportError> HeaderErrors) Read(TextReader text)
    {
        using var csv = new CsvReader(text, Configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            return ([], [new ImportError(1, null, "The file is empty: the first line must name the columns.")]);
        }

        var known = Columns.Select(c => c.Column).ToHashSet(StringComparer.Ordinal);
        var headerErrors = header.Where(h => !known.Contains(h)).Select(h => new ImportError(1, h.Length > 32 ? h[..32] : h, "Unknown column."))
            .Concat(Required.Where(r => !header.Contains(r, StringComparer.Ordinal)).Select(r => new ImportError(1, r, "This column is required.")))
            .Concat(header.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => new ImportError(1, g.Key, "The column is named twice.")))
            .ToList();
        if (headerErrors.Count > 0)
        {
            return ([], headerErrors);
        }

        var rows = new List<CsvServiceRow>();
        while (csv.Read())
        {
            var line = csv.Parser.RawRow - LineBreaks(csv.Parser.RawRecord);
            var errors = new List<ImportError>();
            string? Cell(string column) => header.Contains(column, StringComparer.Ordinal) && csv.GetField(column) is { Length: > 0 } value ? value : null;
            if (csv.Parser.Count != header.Length)
            {
                errors.Add(new ImportError(line, null, $"The row has {csv.Parser.Count} cells; the header names {header.Length} columns."));
                rows.Add(new CsvServiceRow(line, null, new ServiceData(), errors));
                continue;
            }

            DateOnly? Date(string column)
            {
                var value = Cell(column);
                if (value is null)
                {
                    return null;
                }

                if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return date;
                }

                errors.Add(new ImportError(line, column, "Write the date as yyyy-MM-dd."));
                return null;
            }

            int? Number(string column)
            {
                var value = Cell(column);
                if (value is null)
                {
                    return null;
                }

                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    return number;
                }

                errors.Add(new ImportError(line, column, "Write a whole number."));
                return null;
            }

            var relationships = Cell("relationships");
            var data = new ServiceData
            {
                Provider = Cell("provider"),
                Name = Cell("name"),
                Description = Cell("description"),
                CommissioningBodyId = Cell("commissioning_body"),
                FundedFrom = Date("funded_from"),
                FundedUntil = Date("funded_until"),
                Areas = List(Cell("areas")),
                Relationships = relationships is not null && DirectoryVocabulary.RelationshipPresets.TryGetValue(relationships, out var preset) ? preset : List(relationships),
                RiskBands = List(Cell("risk_bands")),
                MinAge = Number("min_age"),
                MaxAge = Number("max_age"),
                Genders = List(Cell("genders")),
                ReferralMethod = Cell("referral_method"),
                ReferralEmail = Cell("referral_email"),
                Phone = Cell("phone"),
                Website = Cell("website"),
                ReferralFields = List(Cell("referral_fields")),
                Hours = Cell("hours"),
                Status = Cell("status"),
                StatusUntil = Date("status_until"),
                Notes = Cell("notes"),
                Sources = Cell("sources"),
            };
            rows.Add(new CsvServiceRow(line, Cell("id"), data, errors));
        }

        return (rows, []);
    }

    public static void Write(TextWriter text, IEnumerable<(string Id, ServiceData Data)> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        using var csv = new CsvWriter(text, Configuration, leaveOpen: true);
        foreach (var (column, _) in Columns)
        {
            csv.WriteField(column);
        }

        csv.NextRecord();
        foreach (var (id, s) in services)
        {
            var relationships = DirectoryVocabulary.RelationshipPresets
                .FirstOrDefault(p => p.Value.SequenceEqual(s.Relationships ?? [], StringComparer.Ordinal)).Key;
            string?[] cells =
            [
                id, s.Provider, s.Name, s.Description, s.CommissioningBodyId, Date(s.FundedFrom), Date(s.FundedUntil), Join(s.Areas),
                relationships ?? Join(s.Relationships), Join(s.RiskBands), Number(s.MinAge), Number(s.MaxAge), Join(s.Genders),
                s.ReferralMethod, s.ReferralEmail, s.Phone, s.Website, Join(s.ReferralFields), s.Hours, s.Status, Date(s.StatusUntil), s.Notes, s.Sources,
            ];
            foreach (var cell in cells)
            {
                csv.WriteField(cell ?? "");
            }

            csv.NextRecord();
        }
    }

    private static List<string> List(string? cell) =>
        cell is null ? [] : [.. cell.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static string Join(IReadOnlyList<string>? values) => string.Join(';', values ?? []);

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Number(int? number) => number?.ToString(CultureInfo.InvariantCulture);

    private static int LineBreaks(string raw) => raw.TrimEnd('\r', '\n').Count(c => c == '\n');
}
