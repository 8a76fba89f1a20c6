using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Helpline.Console.Directory;

/// <summary>
/// The directory's first contents, written by the Directory migration from the files compiled into
/// the assembly (Directory/Data, see its README for sources and licences): the commissioning bodies
/// and the 43 force areas each covers, and the national and local services. Every seeded entry gets
/// version 1 and a history row ("seeded", no actor). Later changes come by the API or CSV import,
/// never by editing these files (a migration applied once must mean the same thing everywhere).
/// </summary>
internal static class DirectorySeed
{
    /// <summary>When the seed data was compiled (the seeded entries' "updated at").</summary>
    public static readonly DateTimeOffset CompiledAt = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    public static void Apply(MigrationBuilder migrationBuilder, string schema)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var bodies = Rows("Directory.Data.commissioning-bodies.csv");
        var forces = Rows("Records.Data.police_forces.csv").ToDictionary(r => r["ons_pfa19cd"], r => r["ons_pfa19nm"], StringComparer.Ordinal);
        foreach (var body in bodies.DistinctBy(b => b["id"]))
        {
            migrationBuilder.InsertData("commissioning_bodies", ["id", "name", "kind", "version", "updated_at"], [body["id"], body["name"], body["kind"], 1, CompiledAt], schema);
            History(migrationBuilder, schema, DirectoryEditor.BodyEntity, body["id"], new { name = body["name"], kind = body["kind"] });
        }

        foreach (var body in bodies)
        {
            var code = body["force_area"];
            migrationBuilder.InsertData("force_areas", ["code", "name", "commissioning_body_id", "version", "updated_at"], [code, forces[code], body["id"], 1, CompiledAt], schema);
            History(migrationBuilder, schema, DirectoryEditor.ForceAreaEntity, code, new { name = forces[code], commissioningBodyId = body["id"] });
        }

        using var services = new StreamReader(Resource("Directory.Data.services.csv"), Encoding.UTF8);
        var (rows, headerErrors) = ServiceCsv.Read(services);
        if (headerErrors.Count > 0 || rows.Any(r => r.Errors.Count > 0))
        {
            throw new InvalidOperationException("The seed services.csv does not read as a directory import.");
        }

        foreach (var row in rows)
        {
            var s = new SupportService { Id = row.Id!, Provider = "", Name = "", ReferralMethod = "", Status = "" };
            row.Data.ApplyTo(s);
            migrationBuilder.InsertData(
                "directory_services",
                ["id", "provider", "name", "description", "commissioning_body_id", "funded_from", "funded_until", "areas", "relationships", "risk_bands", "min_age", "max_age", "genders",
                    "referral_method", "referral_email", "phone", "website", "referral_fields", "hours", "status", "status_until", "notes", "sources", "version", "updated_at"],
                [s.Id, s.Provider, s.Name, s.Description, s.CommissioningBodyId, s.FundedFrom, s.FundedUntil, s.Areas.ToArray(), s.Relationships.ToArray(), s.RiskBands.ToArray(), s.MinAge, s.MaxAge, s.Genders.ToArray(),
                    s.ReferralMethod, s.ReferralEmail, s.Phone, s.Website, s.ReferralFields.ToArray(), s.Hours, s.Status, s.StatusUntil, s.Notes, s.Sources, 1, CompiledAt],
                schema);
            History(migrationBuilder, schema, DirectoryEditor.ServiceEntity, s.Id, ServiceData.From(s));
        }
    }

    private static void History(MigrationBuilder migrationBuilder, string schema, string entity, string id, object snapshot) =>
        migrationBuilder.InsertData(
            "directory_changes",
            ["at", "entity", "entity_id", "version", "change", "snapshot"],
            ["timestamp with time zone", "character varying(32)", "character varying(64)", "integer", "character varying(16)", "jsonb"],
            [CompiledAt, entity, id, 1, "seeded", DirectoryEditor.Snapshot(snapshot)],
            schema);

    private static List<Dictionary<string, string>> Rows(string name)
    {
        using var reader = new StreamReader(Resource(name), Encoding.UTF8);
        using var csv = new CsvReader(reader, new CsvConfiguration(System.Globalization.CultureInfo.InvariantCulture));
        csv.Read();
        csv.ReadHeader();
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            rows.Add(csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h) ?? "", StringComparer.Ordinal));
        }

        return rows;
    }

    private static Stream Resource(string name) =>
        typeof(DirectorySeed).Assembly.GetManifestResourceStream($"Helpline.Console.{name}")
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
}
