using System.Globalization;
using Helpline.Console.Tests.Directory;
using Helpline.Console.Tests.Records;
using Helpline.Console.Tests.Referrals;
using Helpline.Console.UnmetNeed;
using Npgsql;

namespace Helpline.Console.Tests.UnmetNeed;

public sealed class UnmetNeedTests
{
    private static readonly string ThisMonth = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static JsonElement Area(JsonElement report, string code) =>
        report.GetProperty("areas").EnumerateArray().Single(a => a.GetProperty("code").GetString() == code).GetProperty("figures");

    [Fact]
    public async Task A_caller_with_no_eligible_local_service_counts_as_unmet_need_in_their_area_by_relationship()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var admin = await RecordKit.ClientForAsync(rig, "adele", "Admin");
        using var supervisor = await RecordKit.ClientForAsync(rig, "sam", "Supervisor");
        var csv = "id,provider,name,areas,relationships,referral_method,phone,referral_fields,status\n"
            + "cumbria-domestic-abuse,Cumbria DA,Cumbria domestic abuse service,E23000002,exPartnerOnly,phone,01228 000000,name;summary,accepting\n";
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/directory/import", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"))).StatusCode);

        using (var sussex = await rig.AdvisorOnCallAsync("alice"))
        {
            await ReferralKit.SaveAsync(sussex, ReferralKit.SussexCaller());
            await ReferralKit.ConsentAsync(sussex, "veritas-justice", ReferralKit.VeritasFields);
            Assert.Equal(HttpStatusCode.Created, (await ReferralKit.ReferAsync(sussex.Http, sussex.ContactId, "veritas-justice")).StatusCode);
        }

        using (var cumbria = await rig.AdvisorOnCallAsync("bob"))
        {
            var safety = new { safeToCallBack = true, callbackNumber = "07700 900456", safeTimes = "Mornings", voicemailAllowed = false, safeToEmail = false };
            await ReferralKit.SaveAsync(cumbria, ContactServicesTests.Caller(DirectoryKit.Carlisle, "friendOrAcquaintance", yesAnswers: 9, needs: ["referral"], safety: safety));
            var services = await (await cumbria.Http.GetAsync($"/api/contacts/{cumbria.ContactId}/services")).JsonAsync();
            Assert.DoesNotContain(services.GetProperty("matches").EnumerateArray(), m => m.GetProperty("scope").GetString() == "local");
            Assert.Equal("ex-partner stalking only", services.GetProperty("nonMatches")[0].GetProperty("reasons")[0].GetProperty("text").GetString());
            await ReferralKit.ConsentAsync(cumbria, "paladin", [.. ReferralKit.VeritasFields, "reportedToPolice"]);
            var paladin = await (await ReferralKit.ReferAsync(cumbria.Http, cumbria.ContactId, "paladin")).JsonAsync();
            Assert.Equal(HttpStatusCode.OK, (await ReferralKit.StepAsync(cumbria.Http, paladin.GetProperty("id").GetGuid(), "done", successful: false, reason: "lackOfCapacity")).StatusCode);
        }

        var response = await supervisor.GetAsync($"/api/reports/unmet-need?period={ThisMonth}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.JsonAsync();
        Assert.Equal(43, report.GetProperty("areas").GetArrayLength());
        Assert.Equal("docs/unmet-need.md", report.GetProperty("definitions").GetString());

        var s = Area(report, DirectoryKit.Sussex);
        Assert.Equal((1, 1, 1, 0, 0), (s.GetProperty("contacts").GetInt64(), s.GetProperty("needingLocalSupport").GetInt64(), s.GetProperty("referredLocally").GetInt64(), s.GetProperty("referredOnlyNationally").GetInt64(), s.GetProperty("noEligibleLocalService").GetInt64()));
        var c = Area(report, DirectoryKit.Cumbria);
        Assert.Equal((1, 1, 0, 1, 1, 1), (c.GetProperty("contacts").GetInt64(), c.GetProperty("needingLocalSupport").GetInt64(), c.GetProperty("referredLocally").GetInt64(), c.GetProperty("referredOnlyNationally").GetInt64(), c.GetProperty("noEligibleLocalService").GetInt64(), c.GetProperty("lackOfCapacity").GetInt64()));
        Assert.Equal(1, c.GetProperty("noEligibleLocalServiceByRelationship").GetProperty("acquaintance").GetInt64());
        Assert.Equal(0, c.GetProperty("noEligibleLocalServiceByRelationship").GetProperty("exPartner").GetInt64());
        Assert.Equal("Cumbria Police, Fire and Crime Commissioner", report.GetProperty("areas").EnumerateArray().Single(a => a.GetProperty("code").GetString() == DirectoryKit.Cumbria).GetProperty("commissioningBodyName").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await supervisor.GetAsync("/api/reports/unmet-need?period=yesterday")).StatusCode);
        using var anonymous = rig.Console.CreateHttpClient();
        using var advisor = await RecordKit.ClientForAsync(rig, "carol", "Advisor");
        foreach (var path in new[] { $"/api/reports/unmet-need?period={ThisMonth}", $"/api/reports/unmet-need.csv?period={ThisMonth}" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await advisor.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task The_report_reconciles_with_the_contact_records_area_by_area_and_its_CSV_with_its_JSON()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var supervisor = await RecordKit.ClientForAsync(rig, "sam", "Supervisor");
        await using (var connection = new NpgsqlConnection(rig.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(UnmetNeedSeed.Sql(2_000, seed: 7), connection);
            await command.ExecuteNonQueryAsync();
        }

        var rows = await ReadContactsAsync(rig, ThisMonth);
        var report = await (await supervisor.GetAsync($"/api/reports/unmet-need?period={ThisMonth}")).JsonAsync();
        var csv = await (await supervisor.GetAsync($"/api/reports/unmet-need.csv?period={ThisMonth}")).Content.ReadAsStringAsync();

        Assert.True(rows.Count > 300, $"{rows.Count} contacts this month");
        Assert.Equal(rows.Count, report.GetProperty("totals").GetProperty("contacts").GetInt64());
        foreach (var area in report.GetProperty("areas").EnumerateArray().Append(report.GetProperty("areaNotRecorded")))
        {
            var code = area.GetProperty("code").GetString();
            var mine = rows.Where(r => r.Force == code).ToList();
            var f = area.GetProperty("figures");
            var needing = mine.Where(r => r.NeedsLocal).ToList();
            Assert.Equal(mine.Count, f.GetProperty("contacts").GetInt64());
            Assert.Equal(needing.Count, f.GetProperty("needingLocalSupport").GetInt64());
            Assert.Equal(mine.Count(r => r.LocalReferral), f.GetProperty("referredLocally").GetInt64());
            Assert.Equal(mine.Count(r => r.NationalReferral && !r.LocalReferral), f.GetProperty("referredOnlyNationally").GetInt64());
            Assert.Equal(needing.Count(r => r.LocalEligible == 0), f.GetProperty("noEligibleLocalService").GetInt64());
            Assert.Equal(needing.Count(r => r.LocalEligible is null), f.GetProperty("notMatched").GetInt64());
            Assert.Equal(mine.Sum(r => r.LackOfCapacity), f.GetProperty("lackOfCapacity").GetInt64());
            foreach (var category in RelationshipCategories.All)
            {
                Assert.Equal(needing.Count(r => r.LocalEligible == 0 && r.Category == category), f.GetProperty("noEligibleLocalServiceByRelationship").GetProperty(category).GetInt64());
            }
        }

        var lines = csv.TrimEnd().Split('\n');
        Assert.Equal(string.Join(',', UnmetNeedCsv.Columns), lines[0].TrimEnd('\r'));
        Assert.Equal(1 + 43 + 1 + 1, lines.Length);
        var total = lines[^1].TrimEnd('\r').Split(',');
        Assert.Equal(rows.Count.ToString(CultureInfo.InvariantCulture), total[UnmetNeedCsv.Columns.ToList().IndexOf("contacts")]);
        Assert.Equal(report.GetProperty("totals").GetProperty("noEligibleLocalService").GetInt64().ToString(CultureInfo.InvariantCulture), total[UnmetNeedCsv.Columns.ToList().IndexOf("no_eligible_local_service")]);
    }

    private sealed record ContactRow(string? Force, string Category, bool NeedsLocal, int? LocalEligible, bool LocalReferral, bool NationalReferral, int LackOfCapacity);

    /// <summary>The contacts of the month read plainly, to be counted in C# (not by the report's SQL).</summary>
    private static async Task<List<ContactRow>> ReadContactsAsync(ConsoleRig rig, string month)
    {
        var (from, to) = ReportPeriod.Parse(month)!.Instants;
        await using var connection = new NpgsqlConnection(rig.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT r.police_force_code, r.relationship, r.needs, m.local_eligible,
                   coalesce(array_agg(f.is_local) FILTER (WHERE f.status <> 'withdrawn'), '{}'),
                   count(*) FILTER (WHERE f.status = 'done' AND f.reason = 'lackOfCapacity')
            FROM console.contacts k JOIN console.contact_records r ON r.contact_id = k.id
            LEFT JOIN console.contact_matches m ON m.contact_id = k.id
            LEFT JOIN console.referrals f ON f.contact_id = k.id
            WHERE k.received_at >= @from AND k.received_at < @to
            GROUP BY k.id, r.police_force_code, r.relationship, r.needs, m.local_eligible
            """,
            connection);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var rows = new List<ContactRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var relationship = reader.IsDBNull(1) ? null : reader.GetString(1);
            var needs = reader.GetFieldValue<string[]>(2);
            var referrals = reader.GetFieldValue<bool[]>(4);
            rows.Add(new ContactRow(
                reader.IsDBNull(0) ? null : reader.GetString(0),
                relationship switch
                {
                    "friendOrAcquaintance" or "neighbour" => "acquaintance",
                    "exPartner" or "stranger" or "family" or "colleague" or "onlineOnly" => relationship,
                    _ => "unknown",
                },
                needs.Contains("referral") || needs.Contains("advocacy"),
                reader.IsDBNull(3) ? null : reader.GetInt32(3),
                referrals.Contains(true),
                referrals.Contains(false),
                (int)reader.GetInt64(5)));
        }

        return rows;
    }
}
