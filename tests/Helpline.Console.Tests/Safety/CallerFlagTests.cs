using Helpline.Console.Tests.Records;

namespace Helpline.Console.Tests.Safety;

/// <summary>Caller safety (docs/caller-safety.md) against real PostgreSQL, RabbitMQ and SignalR.</summary>
public sealed class CallerFlagTests
{
    private const string Reason = "Knew the victim's new address and asked us to confirm it";
    private static readonly TimeSpan Timeout = RecordKit.Timeout;

    [Fact]
    public async Task A_flag_rides_on_later_offers_and_records_hides_the_history_from_advisors_and_is_reviewed_with_an_audit()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var first = await rig.AdvisorOnCallAsync("alice");
        await first.Advisor.Connection.InvokeAsync("CompleteContact", first.ContactId);
        await first.Advisor.WaitForAsync("WrapUpScheduled", _ => true, Timeout);
        var flagPath = $"/api/contacts/{first.ContactId}/caller-flag";

        var empty = await first.Http.PostAsJsonAsync(flagPath, new { reason = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await empty.JsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await first.Http.PostAsJsonAsync(flagPath, new { reason = new string('r', 501) })).StatusCode);
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.caller_flags"));

        var raised = await first.Http.PostAsJsonAsync(flagPath, new { reason = Reason });
        Assert.Equal(HttpStatusCode.Created, raised.StatusCode);
        var flag = (await raised.JsonAsync()).GetProperty("flag");
        Assert.Equal("Pending", flag.GetProperty("status").GetString());
        var flagId = flag.GetProperty("flagId").GetGuid();
        Assert.Equal(HttpStatusCode.Conflict, (await first.Http.PostAsJsonAsync(flagPath, new { reason = "again" })).StatusCode);
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.caller_flags WHERE encrypted_reason NOT LIKE '%victim%' AND caller_key = '{new string('a', 64)}'"));
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE action = 'caller.flag.raised' AND contact_id = '{first.ContactId}' AND target = '{flagId}'"));

        var bob = await rig.AvailableAdvisorAsync("bob");
        var later = await rig.CallAsync();
        var offer = await bob.WaitForOfferAsync(later, Timeout);
        var offered = offer.GetProperty("callerFlag");
        Assert.Equal(flagId, offered.GetProperty("flagId").GetGuid());
        Assert.Equal(Reason, offered.GetProperty("reason").GetString());
        Assert.DoesNotContain(new string('a', 64), offer.GetRawText(), StringComparison.Ordinal);
        await RecordKit.AcceptAsync(bob, later);
        using var bobHttp = await RecordKit.ClientForAsync(rig, "bob", "Advisor");

        var record = await (await bobHttp.GetAsync($"/api/contacts/{later}/record")).JsonAsync();
        Assert.Equal(Reason, record.GetProperty("callerFlag").GetProperty("reason").GetString());
        var hidden = await (await bobHttp.GetAsync($"/api/contacts/{later}/history")).JsonAsync();
        Assert.True(hidden.GetProperty("hiddenByFlag").GetBoolean());
        Assert.Equal(0, hidden.GetProperty("count").GetInt32());
        Assert.Equal(0, hidden.GetProperty("contacts").GetArrayLength());

        using var sue = await RecordKit.ClientForAsync(rig, "sue", "Supervisor");
        var seen = await (await sue.GetAsync($"/api/contacts/{later}/history")).JsonAsync();
        Assert.Equal(1, seen.GetProperty("count").GetInt32());
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE action = 'caller.flag.history.read' AND contact_id = '{later}'"));

        var list = await (await sue.GetAsync("/api/caller-flags")).JsonAsync();
        var item = Assert.Single(list.EnumerateArray());
        Assert.Equal(flagId, item.GetProperty("flagId").GetGuid());
        Assert.Equal("alice", item.GetProperty("raisedBy").GetString());
        Assert.Equal(1, item.GetProperty("laterContacts").GetInt32());
        Assert.Equal(1, await rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE action = 'caller.flags.listed'"));

        var reviewPath = $"/api/caller-flags/{flagId}/review";
        Assert.Equal(HttpStatusCode.BadRequest, (await sue.PostAsJsonAsync(reviewPath, new { decision = "Pending" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sue.PostAsJsonAsync($"/api/caller-flags/{Guid.NewGuid()}/review", new { decision = "Confirmed" })).StatusCode);
        var confirmed = await sue.PostAsJsonAsync(reviewPath, new { decision = "Confirmed" });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("Confirmed", (await confirmed.JsonAsync()).GetProperty("status").GetString());
        Assert.True((await (await bobHttp.GetAsync($"/api/contacts/{later}/history")).JsonAsync()).GetProperty("hiddenByFlag").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, (await sue.PostAsJsonAsync(reviewPath, new { decision = "Dismissed" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await sue.PostAsJsonAsync(reviewPath, new { decision = "Confirmed" })).StatusCode);
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE action = 'caller.flag.confirmed' AND target = '{flagId}'"));
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE action = 'caller.flag.dismissed' AND target = '{flagId}'"));
        var lifted = await (await bobHttp.GetAsync($"/api/contacts/{later}/history")).JsonAsync();
        Assert.False(lifted.GetProperty("hiddenByFlag").GetBoolean());
        Assert.Equal(1, lifted.GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, (await (await bobHttp.GetAsync($"/api/contacts/{later}/record")).JsonAsync()).GetProperty("callerFlag").ValueKind);
        Assert.Equal(0, (await (await sue.GetAsync("/api/caller-flags")).JsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task A_withheld_number_cannot_be_flagged_and_an_expired_flag_no_longer_applies()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var withheld = await rig.AdvisorOnCallAsync("carol", withheld: true);
        var refused = await withheld.Http.PostAsJsonAsync($"/api/contacts/{withheld.ContactId}/caller-flag", new { reason = Reason });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("withheld number cannot be flagged", (await refused.JsonAsync()).GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True((await (await withheld.Http.GetAsync($"/api/contacts/{withheld.ContactId}/caller-flag")).JsonAsync()).GetProperty("withheld").GetBoolean());
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.caller_flags"));

        using var known = await rig.AdvisorOnCallAsync("alice");
        using var bobHttp = await RecordKit.ClientForAsync(rig, "bob", "Advisor");
        Assert.Equal(HttpStatusCode.NotFound, (await bobHttp.PostAsJsonAsync($"/api/contacts/{known.ContactId}/caller-flag", new { reason = Reason })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await known.Http.PostAsJsonAsync($"/api/contacts/{known.ContactId}/caller-flag", new { reason = Reason })).StatusCode);
        Assert.Equal(1, await rig.Database.CountAsync("WITH expired AS (UPDATE console.caller_flags SET expires_at = now() - interval '1 minute' RETURNING 1) SELECT count(*) FROM expired"));

        var dave = await rig.AvailableAdvisorAsync("dave");
        var later = await rig.CallAsync();
        var offer = await dave.WaitForOfferAsync(later, Timeout);
        Assert.True(!offer.TryGetProperty("callerFlag", out var flag) || flag.ValueKind == JsonValueKind.Null);
        await RecordKit.AcceptAsync(dave, later);
        using var daveHttp = await RecordKit.ClientForAsync(rig, "dave", "Advisor");
        var history = await (await daveHttp.GetAsync($"/api/contacts/{later}/history")).JsonAsync();
        Assert.False(history.GetProperty("hiddenByFlag").GetBoolean());
        Assert.Equal(1, history.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Anonymous_and_wrong_roles_are_refused()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var advisor = await RecordKit.ClientForAsync(rig, "alice", "Advisor");
        using var supervisor = await RecordKit.ClientForAsync(rig, "sue", "Supervisor");
        using var admin = await RecordKit.ClientForAsync(rig, "ada", "Admin");
        using var anonymous = rig.Console.CreateHttpClient();
        var contactFlag = $"/api/contacts/{Guid.NewGuid()}/caller-flag";
        var review = $"/api/caller-flags/{Guid.NewGuid()}/review";

        Assert.Equal(HttpStatusCode.Forbidden, (await advisor.GetAsync("/api/caller-flags")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await advisor.PostAsJsonAsync(review, new { decision = "Dismissed" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsJsonAsync(contactFlag, new { reason = Reason })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync(contactFlag)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/api/caller-flags")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(contactFlag)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(contactFlag, new { reason = Reason })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/caller-flags")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(review, new { decision = "Dismissed" })).StatusCode);
    }
}
