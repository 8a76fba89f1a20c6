using System.Net.Http.Headers;
using System.Text;
using Helpline.Console.Tests.Records;

namespace Helpline.Console.Tests.Directory;

public sealed class DirectoryApiTests
{
    private static StringContent Csv(string text) => new(text, Encoding.UTF8, new MediaTypeHeaderValue("text/csv"));

    private static async Task<string> ExportAsync(HttpClient admin)
    {
        var response = await admin.GetAsync("/api/directory/services.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task The_migration_seeds_43_force_areas_with_their_commissioning_bodies_and_the_services()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var advisor = await RecordKit.ClientForAsync(rig, "alice", "Advisor");

        var forces = await (await advisor.GetAsync("/api/directory/force-areas")).JsonAsync();
        Assert.Equal(43, forces.GetArrayLength());
        var sussex = forces.EnumerateArray().Single(f => f.GetProperty("code").GetString() == DirectoryKit.Sussex);
        Assert.Equal("Sussex Police and Crime Commissioner", sussex.GetProperty("commissioningBodyName").GetString());
        var london = forces.EnumerateArray().Single(f => f.GetProperty("code").GetString() == "E23000001");
        Assert.StartsWith("Mayor of London", london.GetProperty("commissioningBodyName").GetString(), StringComparison.Ordinal);

        var bodies = await (await advisor.GetAsync("/api/directory/commissioning-bodies")).JsonAsync();
        Assert.Equal(43, bodies.GetArrayLength());
        Assert.Contains(bodies.EnumerateArray(), b => b.GetProperty("kind").GetString() == "Police authority (City of London Corporation)");

        var services = await (await advisor.GetAsync("/api/directory/services")).JsonAsync();
        Assert.Equal(14, services.GetArrayLength());
        var veritas = await (await advisor.GetAsync("/api/directory/services/veritas-justice")).JsonAsync();
        Assert.Equal("local", veritas.GetProperty("scope").GetString());
        Assert.Equal("Sussex Police and Crime Commissioner", veritas.GetProperty("commissioningBodyName").GetString());
        Assert.Equal("01273 234773", veritas.GetProperty("data").GetProperty("phone").GetString());
        var sussexOnly = await (await advisor.GetAsync("/api/directory/services?q=sussex")).JsonAsync();
        Assert.Contains(sussexOnly.EnumerateArray(), s => s.GetProperty("id").GetString() == "veritas-justice");
        Assert.DoesNotContain(sussexOnly.EnumerateArray(), s => s.GetProperty("id").GetString() == "paladin");
    }

    [Fact]
    public async Task An_admins_change_is_kept_in_the_history_with_who_made_it_and_when()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var admin = await RecordKit.ClientForAsync(rig, "adele", "Admin");
        using var supervisor = await RecordKit.ClientForAsync(rig, "sam", "Supervisor");
        var veritas = (await (await admin.GetAsync("/api/directory/services/veritas-justice")).JsonAsync()).GetProperty("data");
        var changed = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(veritas.GetRawText())!;
        changed["status"] = JsonSerializer.SerializeToElement("waitingList");
        changed["statusUntil"] = JsonSerializer.SerializeToElement("2027-01-31");

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await admin.PutAsync("/api/directory/services/veritas-justice", changed, null)).StatusCode);
        var saved = await admin.PutAsync("/api/directory/services/veritas-justice", changed, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("\"2\"", saved.Headers.ETag?.Tag);
        var stale = await admin.PutAsync("/api/directory/services/veritas-justice", changed, "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(2, (await stale.JsonAsync()).GetProperty("currentVersion").GetInt32());

        var history = await (await supervisor.GetAsync("/api/directory/history/service/veritas-justice")).JsonAsync();
        Assert.Equal(2, history.GetArrayLength());
        var latest = history[0];
        Assert.Equal(2, latest.GetProperty("version").GetInt32());
        Assert.Equal("updated", latest.GetProperty("change").GetString());
        Assert.Equal("adele", latest.GetProperty("actorName").GetString());
        Assert.True(DateTimeOffset.UtcNow - latest.GetProperty("at").GetDateTimeOffset() < TimeSpan.FromMinutes(1));
        Assert.Equal(["status", "statusUntil"], latest.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("waitingList", latest.GetProperty("snapshot").GetProperty("status").GetString());
        Assert.Equal("seeded", history[1].GetProperty("change").GetString());
        Assert.Equal("accepting", history[1].GetProperty("snapshot").GetProperty("status").GetString());
        Assert.Equal(1, await rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE action = 'directory.service.updated' AND target = 'veritas-justice' AND actor_id IS NOT NULL"));
    }

    [Fact]
    public async Task Invalid_service_fields_are_refused_one_by_one_and_nothing_is_written()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var admin = await RecordKit.ClientForAsync(rig, "adele", "Admin");
        var bad = new
        {
            provider = "",
            name = "New service",
            areas = new[] { "E99999999" },
            relationships = new[] { "boss" },
            riskBands = new[] { "extreme" },
            minAge = 30,
            maxAge = 20,
            referralMethod = "secureEmail",
            referralEmail = "not an address",
            referralFields = new[] { "name", "passport" },
            commissioningBodyId = "nobody",
            status = "open",
            website = "javascript:alert(1)",
        };

        var response = await admin.PutAsync("/api/directory/services/new-service", bad, "\"0\"");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(
            ["areas", "commissioningBodyId", "maxAge", "provider", "referralEmail", "referralFields", "relationships", "riskBands", "status", "website"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsync("/api/directory/services/Not_An_Id", bad, "\"0\"")).StatusCode);
        Assert.Equal(14, await rig.Database.CountAsync("SELECT count(*) FROM console.directory_services"));
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.directory_changes WHERE change <> 'seeded'"));
    }

    [Fact]
    public async Task A_bad_CSV_import_is_rejected_whole_with_line_numbers_and_nothing_is_applied()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var admin = await RecordKit.ClientForAsync(rig, "adele", "Admin");
        var before = await ExportAsync(admin);
        var csv = string.Join('\n',
            "id,provider,name,areas,relationships,referral_method,referral_email,referral_fields,status,notes",
            "cumbria-advocacy,Cumbria Advocacy,Cumbria stalking advocacy,E23000002,any,secureEmail,referrals@cumbria.example.org,name;summary,accepting,fine",
            "veritas-justice,Veritas Justice CIC,Veritas Justice stalking advocacy,E23000033,any,phone,,name,waitingList,\"a note",
            "over two lines\"",
            "bad-email,Somebody,Something,E23000002,any,secureEmail,nobody-at-all,name,accepting,",
            "bad-area,Somebody,Something,E23000099,friends,phone,,name,accepting,",
            "cumbria-advocacy,Again,Again,E23000002,any,selfReferralOnly,,,accepting,",
            "Bad Id,Somebody,Something,E23000002,any,selfReferralOnly,,,accepting,",
            "short,row");

        var response = await admin.PostAsync("/api/directory/import", Csv(csv));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("message").GetString()!))
            .ToList();
        Assert.Contains(errors, e => e.Item1 == 3 && e.Item2 == "phone");
        Assert.Contains(errors, e => e.Item1 == 5 && e.Item2 == "referral_email");
        Assert.Contains(errors, e => e.Item1 == 6 && e.Item2 == "areas" && e.Item3.Contains("E23000099", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Item1 == 6 && e.Item2 == "relationships");
        Assert.Contains(errors, e => e.Item1 == 7 && e.Item2 == "id" && e.Item3.Contains("line 2", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Item1 == 8 && e.Item2 == "id");
        Assert.Contains(errors, e => e.Item1 == 9 && e.Item2 is null);
        Assert.DoesNotContain(errors, e => e.Item1 == 2);
        Assert.Equal(before, await ExportAsync(admin));
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.directory_changes WHERE change <> 'seeded'"));

        var header = await admin.PostAsync("/api/directory/import", Csv("id,provider,nickname\nx,y,z\n"));
        Assert.Equal(HttpStatusCode.BadRequest, header.StatusCode);
        Assert.All((await header.JsonAsync()).GetProperty("errors").EnumerateArray(), e => Assert.Equal(1, e.GetProperty("line").GetInt32()));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await admin.PostAsync("/api/directory/import", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task An_export_imports_back_unchanged_and_an_edited_row_updates_its_service_only()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var admin = await RecordKit.ClientForAsync(rig, "adele", "Admin");
        var exported = await ExportAsync(admin);

        var again = await admin.PostAsync("/api/directory/import", Csv(exported));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(14, (await again.JsonAsync()).GetProperty("unchanged").GetInt32());

        var edited = exported.Replace("01273 234773", "01273 000000", StringComparison.Ordinal)
            + "cumbria-advocacy,Cumbria Advocacy,Cumbria stalking advocacy,,cumbria,,,E23000002,exPartnerOnly,,,,,secureEmail,referrals@cumbria.example.org,,,name;summary,,accepting,,,\n";
        var applied = await admin.PostAsync("/api/directory/import", Csv(edited));
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var summary = await applied.JsonAsync();
        Assert.Equal((1, 1, 13), (summary.GetProperty("created").GetInt32(), summary.GetProperty("updated").GetInt32(), summary.GetProperty("unchanged").GetInt32()));
        var cumbria = await (await admin.GetAsync("/api/directory/services/cumbria-advocacy")).JsonAsync();
        Assert.Equal(["exPartner"], cumbria.GetProperty("data").GetProperty("relationships").EnumerateArray().Select(r => r.GetString()));
        var history = await (await admin.GetAsync("/api/directory/history/service/veritas-justice")).JsonAsync();
        Assert.Equal("imported", history[0].GetProperty("change").GetString());
        Assert.Equal(["phone"], history[0].GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.directory_changes WHERE entity_id = 'paladin' AND change <> 'seeded'"));
    }

    [Fact]
    public async Task A_force_area_can_be_given_to_a_new_commissioning_body_as_data()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var admin = await RecordKit.ClientForAsync(rig, "adele", "Admin");

        var created = await admin.PutAsync("/api/directory/commissioning-bodies/sussex-policing-board", new { name = "Sussex Policing Board", kind = "Board" }, "\"0\"");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var moved = await admin.PutAsync($"/api/directory/force-areas/{DirectoryKit.Sussex}", new { commissioningBodyId = "sussex-policing-board" }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("Sussex Policing Board", (await moved.JsonAsync()).GetProperty("commissioningBodyName").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsync($"/api/directory/force-areas/{DirectoryKit.Sussex}", new { commissioningBodyId = "nobody" }, "\"2\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsync("/api/directory/force-areas/E23000099", new { commissioningBodyId = "sussex-policing-board" }, "\"1\"")).StatusCode);

        var history = await (await admin.GetAsync($"/api/directory/history/forceArea/{DirectoryKit.Sussex}")).JsonAsync();
        Assert.Equal(["commissioningBodyId"], history[0].GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("sussex", history[1].GetProperty("snapshot").GetProperty("commissioningBodyId").GetString());
    }

    [Fact]
    public async Task Every_directory_endpoint_refuses_anonymous_callers_and_the_wrong_roles()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var anonymous = rig.Console.CreateHttpClient();
        using var advisor = await RecordKit.ClientForAsync(rig, "alice", "Advisor");
        using var supervisor = await RecordKit.ClientForAsync(rig, "sam", "Supervisor");
        var body = new { name = "x", kind = "y" };
        (HttpMethod Method, string Path, HttpClient[] WrongRoles)[] endpoints =
        [
            (HttpMethod.Get, "/api/directory/services", []),
            (HttpMethod.Get, "/api/directory/services/paladin", []),
            (HttpMethod.Get, "/api/directory/commissioning-bodies", []),
            (HttpMethod.Get, "/api/directory/force-areas", []),
            (HttpMethod.Get, "/api/directory/services.csv", [advisor]),
            (HttpMethod.Get, "/api/directory/hsds/services", [advisor]),
            (HttpMethod.Get, "/api/directory/history/service/paladin", [advisor]),
            (HttpMethod.Put, "/api/directory/services/paladin", [advisor, supervisor]),
            (HttpMethod.Post, "/api/directory/import", [advisor, supervisor]),
            (HttpMethod.Put, "/api/directory/commissioning-bodies/sussex", [advisor, supervisor]),
            (HttpMethod.Put, $"/api/directory/force-areas/{DirectoryKit.Sussex}", [advisor, supervisor]),
        ];

        foreach (var (method, path, wrongRoles) in endpoints)
        {
            HttpRequestMessage Request() => new(method, path) { Content = method == HttpMethod.Get ? null : method == HttpMethod.Post ? Csv("id\n") : JsonContent.Create(body) };
            Assert.True(HttpStatusCode.Unauthorized == (await anonymous.SendAsync(Request())).StatusCode, $"anonymous {method} {path}");
            foreach (var client in wrongRoles)
            {
                Assert.True(HttpStatusCode.Forbidden == (await client.SendAsync(Request())).StatusCode, $"wrong role {method} {path}");
            }
        }

        Assert.Equal(1, await rig.Database.CountAsync("SELECT count(*) FROM console.directory_changes WHERE entity = 'service' AND entity_id = 'paladin'"));
    }
}
