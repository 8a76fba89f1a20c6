using System.Text;

namespace Helpline.Console.Records;

/// <summary>What kind of area a code names.</summary>
internal enum AreaKind
{
    LocalAuthority = 0,
    PoliceForce = 1,
}

/// <summary>A local authority district (LAD19) with the police force area it lies in, or a police force area (PFA19).</summary>
internal sealed record Area(AreaKind Kind, string Code, string Name, string PoliceForceCode, string PoliceForceName);

/// <summary>
/// England and Wales' local authorities and police forces, from the ONS lookup and the police forces
/// list compiled into the assembly (Records/Data, Open Government Licence v3.0). Loaded once; read-only.
/// </summary>
internal sealed class AreaDirectory
{
    public const int MaxQueryLength = 64;
    public const int MaxResults = 20;

    private readonly Dictionary<string, Area> _localAuthorities;
    private readonly Dictionary<string, Area> _policeForces;
    private readonly List<Area> _all;

    public AreaDirectory()
    {
        var forces = ReadCsv("police_forces.csv")
            .Select(row => new Area(AreaKind.PoliceForce, row["ons_pfa19cd"], row["name"], row["ons_pfa19cd"], row["name"]))
            .ToList();
        _policeForces = forces.ToDictionary(f => f.Code, StringComparer.OrdinalIgnoreCase);
        _localAuthorities = ReadCsv("ons_lad19_csp19_pfa19_lookup.csv")
            .Select(row => new Area(AreaKind.LocalAuthority, row["LAD19CD"], row["LAD19NM"], row["PFA19CD"], _policeForces[row["PFA19CD"]].Name))
            .DistinctBy(a => a.Code)
            .ToDictionary(a => a.Code, StringComparer.OrdinalIgnoreCase);
        _all = [.. forces.OrderBy(f => f.Name, StringComparer.Ordinal), .. _localAuthorities.Values.OrderBy(a => a.Name, StringComparer.Ordinal)];
    }

    public int LocalAuthorityCount => _localAuthorities.Count;

    public int PoliceForceCount => _policeForces.Count;

    public Area? LocalAuthority(string code) => _localAuthorities.GetValueOrDefault(code);

    public Area? PoliceForce(string code) => _policeForces.GetValueOrDefault(code);

    /// <summary>Names starting with the query first, then names containing it; case-insensitive; at most <see cref="MaxResults"/>.</summary>
    public IReadOnlyList<Area> Search(string query)
    {
        var q = query.Trim();
        return _all.Where(a => a.Name.StartsWith(q, StringComparison.OrdinalIgnoreCase))
            .Concat(_all.Where(a => !a.Name.StartsWith(q, StringComparison.OrdinalIgnoreCase) && a.Name.Contains(q, StringComparison.OrdinalIgnoreCase)))
            .Take(MaxResults)
            .ToList();
    }

    private static List<Dictionary<string, string>> ReadCsv(string file)
    {
        using var stream = typeof(AreaDirectory).Assembly.GetManifestResourceStream($"Helpline.Console.Records.Data.{file}")
            ?? throw new InvalidOperationException($"Embedded resource {file} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var header = ParseLine(reader.ReadLine() ?? "");
        var rows = new List<Dictionary<string, string>>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = ParseLine(line);
            rows.Add(header.Select((name, i) => (name, value: i < fields.Count ? fields[i] : "")).ToDictionary(p => p.name, p => p.value, StringComparer.Ordinal));
        }

        return rows;
    }

    /// <summary>One CSV line (RFC 4180: fields may be quoted, quotes doubled inside quotes; no line breaks inside fields in these files).</summary>
    private static List<string> ParseLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
