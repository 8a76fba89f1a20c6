namespace Helpline.Console.Directory;

/// <summary>
/// Checks a whole CSV import before anything is applied: the header, every cell, every row's
/// service (as the API would), and that no id appears twice. Errors carry the line they start on.
/// </summary>
internal static class DirectoryImport
{
    /// <summary>At most this many errors are reported (the file is rejected whatever their number).</summary>
    public const int MaxErrors = 500;

    public static (IReadOnlyList<(string Id, ServiceData Data)> Valid, IReadOnlyList<ImportError> Errors) Check(string text, ServiceValidator validator, DirectorySnapshot directory)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(directory);
        using var reader = new StringReader(text);
        var (rows, headerErrors) = ServiceCsv.Read(reader);
        if (headerErrors.Count > 0)
        {
            return ([], headerErrors);
        }

        if (rows.Count == 0)
        {
            return ([], [new ImportError(2, null, "The file has a header but no services.")]);
        }

        var bodies = directory.Bodies.Keys.ToHashSet(StringComparer.Ordinal);
        var errors = new List<ImportError>();
        var valid = new List<(string, ServiceData)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            errors.AddRange(row.Errors);
            if (!ServiceValidator.IsValidId(row.Id))
            {
                errors.Add(new ImportError(row.Line, "id", "An id is 1 to 64 lower-case letters, digits and hyphens (veritas-justice)."));
            }
            else if (seen.TryGetValue(row.Id!, out var first))
            {
                errors.Add(new ImportError(row.Line, "id", $"The id {row.Id} is also on line {first}."));
            }
            else
            {
                seen[row.Id!] = row.Line;
            }

            if (row.Errors.Count > 0)
            {
                continue;
            }

            var (data, fieldErrors) = validator.Validate(row.Data, bodies);
            errors.AddRange(fieldErrors.Select(e => new ImportError(row.Line, ServiceCsv.ColumnOf(e.Key), e.Value[0])));
            if (data is not null && row.Id is not null)
            {
                valid.Add((row.Id, data));
            }
        }

        return errors.Count > 0 ? ([], [.. errors.OrderBy(e => e.Line).Take(MaxErrors)]) : (valid, []);
    }
}
