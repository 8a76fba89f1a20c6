using Helpline.Console.Tests.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Helpline.Console.Tests.Directory;

public sealed class ContactServicesTests
{
    /// <summary>A record draft for a caller (the fields matching reads), everything else left unanswered.</summary>
    internal static object Caller(string localAuthority, string relationship, string? ageGroup = "25to64", string? gender = "female", int yesAnswers = 1, string[]? needs = null, string? outwardCode = null, object? safety = null) => new
    {
        relationship,
        safety,
        ageGroup,
        gender,
        riskScreening = new { version = 1, answers = Enumerable.Range(1, 11).ToDictionary(i => $"q{i}", i => i <= yesAnswers) },
        area = new { localAuthorityCode = localAuthority, policeForceCode = (string?)null, outwardCode },
        needs = needs ?? ["referral"],
        urgent = false,
    };

    private static async Task<JsonElement> ServicesAsync(OnCall call, string query = "") =>
        await (await call.Http.GetAsync($"/api/contacts/{call.ContactId}/services{query}")).JsonAsync();

    [Fact]
    public async Task The_matching_list_follows_the_record_and_is_kept_with_it_when_saved()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var call = await rig.AdvisorOnCallAsync("alice");

        var blank = await ServicesAsync(call);
        Assert.DoesNotContain(blank.GetProperty("matches").EnumerateArray(), m => m.GetProperty("scope").GetString() == "local");

        Assert.Equal(HttpStatusCode.OK, (await call.Http.PutAsync(call.RecordPath, Caller(DirectoryKit.BrightonAndHove, "friendOrAcquaintance"), "\"0\"")).StatusCode);
        var sussex = await ServicesAsync(call);
        var first = sussex.GetProperty("matches")[0];
        Assert.Equal("veritas-justice", first.GetProperty("serviceId").GetString());
        Assert.Equal("match", first.GetProperty("outcome").GetString());
        Assert.Equal("local", first.GetProperty("scope").GetString());
        Assert.Equal(DirectoryKit.Sussex, sussex.GetProperty("caller").GetProperty("policeForceCode").GetString());
        var paladin = sussex.GetProperty("nonMatches").EnumerateArray().Single(m => m.GetProperty("serviceId").GetString() == "paladin");
        Assert.Equal("high risk only", paladin.GetProperty("reasons")[0].GetProperty("text").GetString());
        Assert.DoesNotContain(sussex.GetProperty("nonMatches").EnumerateArray(), m => m.GetProperty("serviceId").GetString() == "london-stalking-support-service");
        Assert.Equal(6, sussex.GetProperty("notInAreaCount").GetInt32());
        var all = await ServicesAsync(call, "?all=true");
        Assert.Contains(all.GetProperty("nonMatches").EnumerateArray(), m => m.GetProperty("serviceId").GetString() == "london-stalking-support-service"
            && m.GetProperty("reasons")[0].GetProperty("text").GetString() == "not in this area");
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.contact_matches WHERE contact_id = '{call.ContactId}' AND record_revision = 1 AND local_eligible = 1 AND local_available = 1"));

        Assert.Equal(HttpStatusCode.OK, (await call.Http.PutAsync(call.RecordPath, Caller(DirectoryKit.Carlisle, "friendOrAcquaintance", yesAnswers: 9), "\"1\"")).StatusCode);
        var cumbria = await ServicesAsync(call);
        Assert.DoesNotContain(cumbria.GetProperty("matches").EnumerateArray(), m => m.GetProperty("scope").GetString() == "local");
        Assert.Contains(cumbria.GetProperty("matches").EnumerateArray(), m => m.GetProperty("serviceId").GetString() == "paladin");
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.contact_matches WHERE contact_id = '{call.ContactId}' AND record_revision = 2 AND local_eligible = 0"));
    }

    [Fact]
    public async Task Only_those_who_may_read_the_record_see_its_services()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var call = await rig.AdvisorOnCallAsync("alice");
        using var other = await RecordKit.ClientForAsync(rig, "bob", "Advisor");
        using var supervisor = await RecordKit.ClientForAsync(rig, "sam", "Supervisor");
        using var admin = await RecordKit.ClientForAsync(rig, "adele", "Admin");
        using var anonymous = rig.Console.CreateHttpClient();
        var path = $"/api/contacts/{call.ContactId}/services";

        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/areas/postcode")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/areas/postcode", new { postcode = "BN1 1AA" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsJsonAsync("/api/areas/postcode", new { postcode = "BN1 1AA" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/api/areas/postcode")).StatusCode);
        Assert.False((await (await call.Http.GetAsync("/api/areas/postcode")).JsonAsync()).GetProperty("enabled").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await call.Http.PostAsJsonAsync("/api/areas/postcode", new { postcode = "BN1 1AA" })).StatusCode);
    }

    [Fact]
    public async Task A_postcode_is_looked_up_in_the_body_and_only_its_outward_code_is_kept()
    {
        var received = new List<string>();
        await using var stub = await PostcodeStubAsync(received);
        await using var rig = await ConsoleRig.StartAsync(new Dictionary<string, string?>
        {
            ["PostcodeLookup:Enabled"] = "true",
            ["PostcodeLookup:BaseUrl"] = stub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single(),
        });
        using var call = await rig.AdvisorOnCallAsync("alice");

        Assert.True((await (await call.Http.GetAsync("/api/areas/postcode")).JsonAsync()).GetProperty("enabled").GetBoolean());
        var found = await call.Http.PostAsJsonAsync("/api/areas/postcode", new { postcode = "bn11aa" });
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var area = await found.JsonAsync();
        Assert.Equal("BN1", area.GetProperty("outwardCode").GetString());
        Assert.Equal(DirectoryKit.BrightonAndHove, area.GetProperty("localAuthorityCode").GetString());
        Assert.Equal(DirectoryKit.Sussex, area.GetProperty("policeForceCode").GetString());
        Assert.Equal(["BN1 1AA"], received);

        Assert.Equal(HttpStatusCode.NotFound, (await call.Http.PostAsJsonAsync("/api/areas/postcode", new { postcode = "ZZ9 9ZZ" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await call.Http.PostAsJsonAsync("/api/areas/postcode", new { postcode = "not a postcode" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await call.Http.PutAsync(call.RecordPath, Caller(DirectoryKit.BrightonAndHove, "stranger", outwardCode: "BN1"), "\"0\"")).StatusCode);
        Assert.Equal("BN1", (await (await call.Http.GetAsync(call.RecordPath)).JsonAsync()).GetProperty("area").GetProperty("outwardCode").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await call.Http.PutAsync(call.RecordPath, Caller(DirectoryKit.BrightonAndHove, "stranger", outwardCode: "BN1 1AA"), "\"1\"")).StatusCode);
        // The ciphertexts (bytea, as hex in the JSON) are left out: random hex spells "1aa" about once in 4,096 places.
        Assert.Equal(0, await rig.Database.CountAsync(@"SELECT count(*) FROM console.contact_records WHERE regexp_replace(row_to_json(contact_records)::text, '\\x[0-9a-f]*', '', 'g') ILIKE '%1AA%'"));
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE (to_jsonb(audit_entries) - 'hash' - 'previous_hash')::text ILIKE '%1AA%'"));
    }

    /// <summary>A postcodes.io-compatible stub: BN1 1AA is in Brighton and Hove; anything else is not found.</summary>
    private static async Task<WebApplication> PostcodeStubAsync(List<string> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/postcodes", async (HttpRequest request) =>
        {
            var body = await request.ReadFromJsonAsync<JsonElement>();
            var postcode = body.GetProperty("postcodes")[0].GetString()!;
            lock (received)
            {
                received.Add(postcode);
            }

            object? result = postcode == "BN1 1AA"
                ? new { postcode, outcode = "BN1", codes = new Dictionary<string, string> { ["admin_district"] = "E06000043" } }
                : null;
            return Results.Json(new { status = 200, result = new[] { new { query = postcode, result } } });
        });
        await app.StartAsync();
        return app;
    }
}
