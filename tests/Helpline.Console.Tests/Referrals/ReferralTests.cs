using Helpline.Console.Tests.Records;
using Helpline.ServiceDefaults.Security;

namespace Helpline.Console.Tests.Referrals;

public sealed class ReferralTests
{
    private static readonly string[] NameOnly = ["name"];

    [Fact]
    public async Task A_referral_without_the_callers_consent_is_refused_by_the_server_and_nothing_is_made()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var call = await rig.AdvisorOnCallAsync("alice");
        await ReferralKit.SaveAsync(call, ReferralKit.SussexCaller());

        var none = await ReferralKit.ReferAsync(call.Http, call.ContactId, "veritas-justice");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, none.StatusCode);
        Assert.Contains("consent", (await none.JsonAsync()).GetProperty("refusals")[0].GetString(), StringComparison.Ordinal);

        await ReferralKit.ConsentAsync(call, "veritas-justice", ["name", "area"]);
        var partial = await ReferralKit.ReferAsync(call.Http, call.ContactId, "veritas-justice");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, partial.StatusCode);
        Assert.Contains("Number to call back on", (await partial.JsonAsync()).GetProperty("refusals")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.referrals"));

        var consent = await ReferralKit.ConsentAsync(call, "veritas-justice", ReferralKit.VeritasFields);
        var made = await ReferralKit.ReferAsync(call.Http, call.ContactId, "veritas-justice");
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var referral = await made.JsonAsync();
        Assert.Equal("made", referral.GetProperty("status").GetString());
        Assert.Equal("phone", referral.GetProperty("method").GetString());
        Assert.Equal("local", referral.GetProperty("scope").GetString());
        Assert.Equal(ReferralKit.VeritasFields, referral.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("alice", referral.GetProperty("steps")[0].GetProperty("actorName").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await ReferralKit.ReferAsync(call.Http, call.ContactId, "veritas-justice")).StatusCode);

        var withdrawn = await call.Http.PostAsync($"/api/contacts/{call.ContactId}/consents/{consent.GetProperty("id").GetGuid()}/withdrawal", null);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.False((await withdrawn.JsonAsync()).GetProperty("inForce").GetBoolean());
        var after = await (await call.Http.GetAsync($"/api/contacts/{call.ContactId}/referrals")).JsonAsync();
        var closed = after.GetProperty("referrals")[0];
        Assert.Equal("withdrawn", closed.GetProperty("status").GetString());
        Assert.Equal("consent withdrawn", closed.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ReferralKit.ReferAsync(call.Http, call.ContactId, "veritas-justice")).StatusCode);
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE action = 'referral.consent.withdrawn' AND contact_id = '{call.ContactId}'"));
    }

    [Fact]
    public async Task A_referral_the_callers_safety_preferences_forbid_is_refused_and_self_referral_services_take_none()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var call = await rig.AdvisorOnCallAsync("alice");
        await ReferralKit.SaveAsync(call, ReferralKit.SussexCaller(safeToCallBack: false));
        await ReferralKit.ConsentAsync(call, "veritas-justice", ReferralKit.VeritasFields);

        var refused = await ReferralKit.ReferAsync(call.Http, call.ContactId, "veritas-justice");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains((await refused.JsonAsync()).GetProperty("refusals").EnumerateArray(), r => r.GetString()!.Contains("safe to call them back", StringComparison.Ordinal));
        var preview = await (await call.Http.PostAsJsonAsync($"/api/contacts/{call.ContactId}/referrals/preview", new { serviceId = "veritas-justice", name = "Sam" })).JsonAsync();
        Assert.NotEqual(0, preview.GetProperty("refusals").GetArrayLength());

        await ReferralKit.ConsentAsync(call, "victim-support-supportline", NameOnly);
        var selfOnly = await ReferralKit.ReferAsync(call.Http, call.ContactId, "victim-support-supportline");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, selfOnly.StatusCode);
        Assert.Contains("self-referrals only", (await selfOnly.JsonAsync()).GetProperty("refusals")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.referrals"));
    }

    [Fact]
    public async Task The_preview_shows_exactly_the_fields_the_service_gets_and_the_read_is_audited()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var call = await rig.AdvisorOnCallAsync("alice");
        await ReferralKit.SaveAsync(call, ReferralKit.SussexCaller());
        await ReferralKit.ConsentAsync(call, "veritas-justice", ReferralKit.VeritasFields);

        var preview = await (await call.Http.PostAsJsonAsync($"/api/contacts/{call.ContactId}/referrals/preview", new { serviceId = "veritas-justice", name = "Sam Caller", summary = "Followed to work." })).JsonAsync();

        Assert.Equal(0, preview.GetProperty("refusals").GetArrayLength());
        Assert.Equal("01273 234773", preview.GetProperty("phone").GetString());
        var fields = preview.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("field").GetString()!, f => f.GetProperty("value").GetString());
        Assert.Equal(ReferralKit.VeritasFields, fields.Keys);
        Assert.Equal("07700 900123", fields["callbackNumber"]);
        Assert.Equal("Friend or acquaintance", fields["relationship"]);
        Assert.Equal("Brighton and Hove, Sussex Police area", fields["area"]);
        foreach (var unsent in new[] { "Private advisor notes", "Female", "25 to 64" })
        {
            Assert.DoesNotContain(unsent, preview.GetRawText(), StringComparison.Ordinal);
        }
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE action = 'referral.previewed' AND contact_id = '{call.ContactId}'"));
    }

    [Fact]
    public async Task A_referral_goes_made_accepted_done_each_step_with_who_and_when_and_no_step_out_of_order()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var call = await rig.AdvisorOnCallAsync("alice");
        using var supervisor = await RecordKit.ClientForAsync(rig, "sam", "Supervisor");
        await ReferralKit.SaveAsync(call, ReferralKit.SussexCaller());
        await ReferralKit.ConsentAsync(call, "veritas-justice", ReferralKit.VeritasFields);
        var id = (await (await ReferralKit.ReferAsync(call.Http, call.ContactId, "veritas-justice")).JsonAsync()).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.BadRequest, (await ReferralKit.StepAsync(call.Http, id, "rejected")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ReferralKit.StepAsync(call.Http, id, "finished")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReferralKit.StepAsync(call.Http, id, "accepted")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ReferralKit.StepAsync(call.Http, id, "rejected", reason: "full")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ReferralKit.StepAsync(supervisor, id, "done", successful: false)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ReferralKit.StepAsync(supervisor, id, "done", successful: false, reason: "bored")).StatusCode);
        var done = await ReferralKit.StepAsync(supervisor, id, "done", successful: false, reason: "lackOfCapacity");
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var view = await done.JsonAsync();
        Assert.Equal("done", view.GetProperty("status").GetString());
        Assert.False(view.GetProperty("successful").GetBoolean());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("dueAt").ValueKind);
        Assert.Equal(
            [("made", "alice"), ("accepted", "alice"), ("done", "sam")],
            view.GetProperty("steps").EnumerateArray().Select(s => (s.GetProperty("type").GetString(), s.GetProperty("actorName").GetString())));
        Assert.Equal(HttpStatusCode.Conflict, (await ReferralKit.StepAsync(call.Http, id, "withdrawn")).StatusCode);
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE action = 'referral.done' AND contact_id = '{call.ContactId}'"));
    }

    [Fact]
    public async Task Supervisors_see_every_open_referral_overdue_ones_first()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var supervisor = await RecordKit.ClientForAsync(rig, "sam", "Supervisor");
        var ids = new List<Guid>();
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            using var call = await rig.AdvisorOnCallAsync(name);
            await ReferralKit.SaveAsync(call, ReferralKit.SussexCaller());
            await ReferralKit.ConsentAsync(call, "veritas-justice", ReferralKit.VeritasFields);
            ids.Add((await (await ReferralKit.ReferAsync(call.Http, call.ContactId, "veritas-justice")).JsonAsync()).GetProperty("id").GetGuid());
        }

        await rig.Database.CountAsync($"UPDATE console.referrals SET made_at = now() - interval '3 days' WHERE id = '{ids[2]}' RETURNING 1");
        await rig.Database.CountAsync($"UPDATE console.referrals SET made_at = now() - interval '5 days' WHERE id = '{ids[1]}' RETURNING 1");
        Assert.Equal(HttpStatusCode.OK, (await ReferralKit.StepAsync(supervisor, ids[1], "accepted")).StatusCode);

        var open = await (await supervisor.GetAsync("/api/referrals/open")).JsonAsync();

        Assert.Equal([ids[2], ids[0], ids[1]], open.EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
        Assert.Equal([true, false, false], open.EnumerateArray().Select(r => r.GetProperty("overdue").GetBoolean()));
    }

    [Fact]
    public async Task An_email_referral_is_a_SendEmail_through_the_outbox_carrying_only_the_services_fields_and_Intakes_report_is_recorded()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var admin = await RecordKit.ClientForAsync(rig, "adele", "Admin");
        var service = new
        {
            provider = "Sussex Email Advocacy",
            name = "Sussex email advocacy",
            areas = new[] { "E23000033" },
            referralMethod = "secureEmail",
            referralEmail = "referrals@advocacy.example.org",
            referralFields = new[] { "callbackNumber", "area", "summary" },
            status = "accepting",
        };
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/directory/services/sussex-email-advocacy", service, "\"0\"")).StatusCode);
        using var call = await rig.AdvisorOnCallAsync("alice");
        await ReferralKit.SaveAsync(call, ReferralKit.SussexCaller());
        await ReferralKit.ConsentAsync(call, "sussex-email-advocacy", ["callbackNumber", "area", "summary"]);

        var made = await ReferralKit.ReferAsync(call.Http, call.ContactId, "sussex-email-advocacy", summary: "Followed to work for months.");
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        Assert.Equal("pending", (await made.JsonAsync()).GetProperty("emailStatus").GetString());

        var payload = JsonDocument.Parse((await rig.Database.TextAsync("SELECT payload FROM console.outbox_messages WHERE message_type LIKE '%SendEmail%'"))!).RootElement;
        var emailId = payload.GetProperty("emailId").GetGuid();
        Assert.Equal("referrals@advocacy.example.org", payload.GetProperty("to").GetString());
        Assert.DoesNotContain("07700", payload.GetRawText(), StringComparison.Ordinal);
        var encryption = rig.Console.Services.GetRequiredService<FieldEncryption>();
        var body = encryption.Decrypt(payload.GetProperty("encryptedBody").GetString()!, EmailFields.AssociatedData(emailId, EmailFields.Body));
        Assert.Contains("Number to call back on: 07700 900123", body, StringComparison.Ordinal);
        Assert.Contains("Summary: Followed to work for months.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Sam Caller", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Weekdays after 6pm", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Friend or acquaintance", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Private advisor notes", body, StringComparison.Ordinal);
        Assert.StartsWith("Referral from the National Stalking Helpline", encryption.Decrypt(payload.GetProperty("encryptedSubject").GetString()!, EmailFields.AssociatedData(emailId, EmailFields.Subject)), StringComparison.Ordinal);

        var failed = new EmailSendFailed { EmailId = emailId, ContactId = call.ContactId, Purpose = EmailPurpose.Referral, Permanent = false, Reason = "421 try later", Attempt = 1, At = DateTimeOffset.UtcNow };
        await rig.PublishAsync(failed);
        await rig.PublishAsync(failed);
        await Eventually.WaitAsync(
            () => rig.Database.CountAsync($"SELECT count(*) FROM console.referrals WHERE email_id = '{emailId}' AND email_status = 'retrying'"),
            n => n == 1,
            ConsoleRig.Timeout,
            "the failed attempt recorded");
        await rig.PublishAsync(new EmailSent { EmailId = emailId, ContactId = call.ContactId, Purpose = EmailPurpose.Referral, MessageId = "abc@helpline", At = DateTimeOffset.UtcNow });
        var referral = await Eventually.WaitAsync(
            async () => (await (await call.Http.GetAsync($"/api/contacts/{call.ContactId}/referrals")).JsonAsync()).GetProperty("referrals")[0],
            r => r.GetProperty("emailStatus").GetString() == "sent",
            ConsoleRig.Timeout,
            "the referral's email reported sent");
        Assert.Equal(["made", "emailSendFailed", "emailSent"], referral.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Every_referral_endpoint_refuses_anonymous_callers_and_the_wrong_roles()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var call = await rig.AdvisorOnCallAsync("alice");
        using var anonymous = rig.Console.CreateHttpClient();
        using var supervisor = await RecordKit.ClientForAsync(rig, "sam", "Supervisor");
        using var admin = await RecordKit.ClientForAsync(rig, "adele", "Admin");
        var contact = $"/api/contacts/{call.ContactId}";
        var someId = Guid.NewGuid();
        (HttpMethod Method, string Path, HttpClient[] WrongRoles)[] endpoints =
        [
            (HttpMethod.Get, $"{contact}/referrals", [admin]),
            (HttpMethod.Post, $"{contact}/consents", [admin, supervisor]),
            (HttpMethod.Post, $"{contact}/consents/{someId}/withdrawal", [admin]),
            (HttpMethod.Post, $"{contact}/referrals/preview", [admin, supervisor]),
            (HttpMethod.Post, $"{contact}/referrals", [admin, supervisor]),
            (HttpMethod.Post, $"/api/referrals/{someId}/status", [admin]),
            (HttpMethod.Get, "/api/referrals/open", [admin, call.Http]),
        ];

        foreach (var (method, path, wrongRoles) in endpoints)
        {
            HttpRequestMessage Request() => new(method, path) { Content = method == HttpMethod.Get ? null : JsonContent.Create(new { serviceId = "veritas-justice", fields = NameOnly, status = "accepted" }) };
            Assert.True(HttpStatusCode.Unauthorized == (await anonymous.SendAsync(Request())).StatusCode, $"anonymous {method} {path}");
            foreach (var client in wrongRoles)
            {
                Assert.True(HttpStatusCode.Forbidden == (await client.SendAsync(Request())).StatusCode, $"wrong role {method} {path}");
            }
        }

        using var other = await RecordKit.ClientForAsync(rig, "bob", "Advisor");
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"{contact}/consents", new { serviceId = "veritas-justice", fields = NameOnly })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"{contact}/referrals")).StatusCode);
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.referral_consents"));
    }
}
