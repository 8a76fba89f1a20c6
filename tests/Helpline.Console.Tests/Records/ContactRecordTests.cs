using Helpline.Console.Data;

namespace Helpline.Console.Tests.Records;

public sealed class ContactRecordTests
{
    private static readonly TimeSpan Timeout = RecordKit.Timeout;

    [Fact]
    public async Task Record_round_trips_and_the_server_computes_the_risk_band_ignoring_the_clients()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var call = await rig.AdvisorOnCallAsync("alice");

        var empty = await call.Http.GetAsync(call.RecordPath);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal("\"0\"", empty.Headers.ETag?.Tag);
        var blank = await empty.JsonAsync();
        Assert.Equal(0, blank.GetProperty("revision").GetInt32());
        Assert.Equal(JsonValueKind.Null, blank.GetProperty("riskScreening").GetProperty("band").ValueKind);

        var saved = await call.Http.PutAsync(call.RecordPath, RecordKit.FullDraft(yesAnswers: 7), "\"0\"");
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("\"1\"", saved.Headers.ETag?.Tag);

        var loaded = await (await call.Http.GetAsync(call.RecordPath)).JsonAsync();
        Assert.Equal(1, loaded.GetProperty("revision").GetInt32());
        Assert.True(loaded.GetProperty("four").GetProperty("repeated").GetBoolean());
        Assert.True(loaded.GetProperty("isStalking").GetBoolean());
        Assert.Equal("exPartner", loaded.GetProperty("relationship").GetString());
        Assert.Equal("no", loaded.GetProperty("reportedToPolice").GetString());
        var risk = loaded.GetProperty("riskScreening");
        Assert.Equal(7, risk.GetProperty("score").GetInt32());
        Assert.Equal("high", risk.GetProperty("band").GetString());
        Assert.Equal(1, risk.GetProperty("version").GetInt32());
        Assert.False(risk.GetProperty("answers").GetProperty("q11").GetBoolean());
        var safety = loaded.GetProperty("safety");
        Assert.Equal("07700 900123", safety.GetProperty("callbackNumber").GetString());
        Assert.Equal("Weekdays after 6pm", safety.GetProperty("safeTimes").GetString());
        Assert.Equal("caller@example.org", safety.GetProperty("email").GetString());
        var area = loaded.GetProperty("area");
        Assert.Equal("Leeds", area.GetProperty("localAuthorityName").GetString());
        Assert.Equal("E23000010", area.GetProperty("policeForceCode").GetString());
        Assert.Equal(["information", "safetyPlanning"], loaded.GetProperty("needs").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(["informationGiven", "callbackArranged"], loaded.GetProperty("outcomes").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("Caller describes repeated visits.", loaded.GetProperty("notes").GetString());
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.contact_records WHERE contact_id = '{call.ContactId}' AND risk_score = 7 AND risk_band = 'high' AND risk_questionnaire_version = 1"));

        var questionnaire = await (await call.Http.GetAsync("/api/risk-screening")).JsonAsync();
        Assert.Equal(1, questionnaire.GetProperty("version").GetInt32());
        Assert.Equal(11, questionnaire.GetProperty("questions").GetArrayLength());
        Assert.Equal(["standard", "medium", "high"], questionnaire.GetProperty("bands").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Invalid_answers_are_refused_field_by_field_and_nothing_is_written()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var call = await rig.AdvisorOnCallAsync("alice");
        var draft = new
        {
            relationship = "boss",
            reportedToPolice = "maybe",
            riskScreening = new { version = 1, answers = new Dictionary<string, bool> { ["q99"] = true } },
            safety = new { safeToCallBack = false, callbackNumber = "07700 900123", voicemailAllowed = true, safeToEmail = (bool?)null, email = "caller@example.org" },
            area = new { localAuthorityCode = "E08000035", policeForceCode = "E23000001" },
            needs = new[] { "information", "money" },
            outcomes = new[] { "solved" },
            notes = new string('n', 4001),
            urgent = false,
        };

        var response = await call.Http.PutAsync(call.RecordPath, draft, "\"0\"");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        string[] expected =
        [
            "relationship", "reportedToPolice", "riskScreening.answers", "safety.callbackNumber", "safety.voicemailAllowed",
            "safety.email", "area.policeForceCode", "needs", "outcomes", "notes",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains("not said it is safe to call back", errors.GetProperty("safety.callbackNumber")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("07700", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var badNumber = await call.Http.PutAsync(call.RecordPath, new { safety = new { safeToCallBack = true, callbackNumber = "call me" }, riskScreening = new { version = 7, answers = new Dictionary<string, bool> { ["q1"] = true } } }, "\"0\"");
        var badErrors = (await badNumber.JsonAsync()).GetProperty("errors");
        Assert.True(badErrors.TryGetProperty("safety.callbackNumber", out _));
        Assert.True(badErrors.TryGetProperty("riskScreening.version", out _));
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.contact_records"));
    }

    [Fact]
    public async Task Only_the_assigned_advisor_writes_supervisors_read_others_and_anonymous_are_refused()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var call = await rig.AdvisorOnCallAsync("alice");
        using var bob = await RecordKit.ClientForAsync(rig, "bob", "Advisor");
        using var sue = await RecordKit.ClientForAsync(rig, "sue", "Supervisor");
        using var anonymous = rig.Console.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await call.Http.PutAsync(call.RecordPath, RecordKit.FullDraft(), "\"0\"")).StatusCode);
        var historyPath = $"/api/contacts/{call.ContactId}/history";

        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync(call.RecordPath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PutAsync(call.RecordPath, RecordKit.FullDraft(notes: "bob"), "\"1\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync(historyPath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await call.Http.GetAsync($"/api/contacts/{Guid.NewGuid()}/record")).StatusCode);

        var read = await sue.GetAsync(call.RecordPath);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("Caller describes repeated visits.", (await read.JsonAsync()).GetProperty("notes").GetString());
        Assert.Equal(HttpStatusCode.OK, (await sue.GetAsync(historyPath)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sue.PutAsync(call.RecordPath, RecordKit.FullDraft(notes: "sue"), "\"1\"")).StatusCode);
        // Areas are searched by every role (the directory screen), so the supervisor may too.
        Assert.Equal(HttpStatusCode.OK, (await sue.GetAsync("/api/areas?q=leeds")).StatusCode);

        foreach (var path in new[] { call.RecordPath, historyPath, "/api/areas?q=leeds", "/api/risk-screening" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync(call.RecordPath, RecordKit.FullDraft(notes: "anon"), "\"1\"")).StatusCode);
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.contact_records WHERE revision = 1"));
        // Every read and save of the record is audited with who and which contact; refusals write nothing.
        var audited = $"SELECT count(*) FROM console.audit_entries a JOIN console.users u ON u.id = a.actor_id WHERE a.contact_id = '{call.ContactId}' AND u.user_name = ";
        Assert.Equal(1, await rig.Database.CountAsync(audited + "'alice' AND a.action = 'record.saved'"));
        Assert.Equal(1, await rig.Database.CountAsync(audited + "'sue' AND a.action = 'record.read'"));
        Assert.Equal(1, await rig.Database.CountAsync(audited + "'sue' AND a.action = 'record.history.read'"));
        Assert.Equal(0, await rig.Database.CountAsync(audited + "'bob'"));
    }

    [Fact]
    public async Task A_save_based_on_an_old_revision_is_refused_with_the_current_one()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var call = await rig.AdvisorOnCallAsync("alice");

        Assert.Equal(HttpStatusCode.OK, (await call.Http.PutAsync(call.RecordPath, RecordKit.FullDraft(notes: "first tab"), "\"0\"")).StatusCode);
        var stale = await call.Http.PutAsync(call.RecordPath, RecordKit.FullDraft(notes: "second tab"), "\"0\"");

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(1, (await stale.JsonAsync()).GetProperty("currentRevision").GetInt32());
        Assert.Equal("\"1\"", stale.Headers.ETag?.Tag);
        var missing = await call.Http.PutAsync(call.RecordPath, RecordKit.FullDraft(notes: "no precondition"), null);
        Assert.Equal((HttpStatusCode)428, missing.StatusCode);
        Assert.Equal("first tab", (await (await call.Http.GetAsync(call.RecordPath)).JsonAsync()).GetProperty("notes").GetString());

        var next = await call.Http.PutAsync(call.RecordPath, RecordKit.FullDraft(notes: "second tab, reloaded"), "\"1\"");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, (await next.JsonAsync()).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task Oversized_or_malformed_bodies_are_refused_and_change_nothing()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var call = await rig.AdvisorOnCallAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await call.Http.PutAsync(call.RecordPath, RecordKit.FullDraft(notes: "kept"), "\"0\"")).StatusCode);

        var oversized = await call.Http.PutAsync(call.RecordPath, new { notes = new string('x', 100_000) }, "\"1\"");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        foreach (var body in new[] { "{\"notes\": ", "[1,2]", "{\"urgent\": \"yes\"}", "{\"four\": {\"fixated\": 3}}", "" })
        {
            var response = await call.Http.PutRawAsync(call.RecordPath, body, "\"1\"");
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal((HttpStatusCode)428, (await call.Http.PutRawAsync(call.RecordPath, "{}", "\"one\"")).StatusCode);
        var loaded = await (await call.Http.GetAsync(call.RecordPath)).JsonAsync();
        Assert.Equal(1, loaded.GetProperty("revision").GetInt32());
        Assert.Equal("kept", loaded.GetProperty("notes").GetString());
    }

    [Fact]
    public async Task Area_search_finds_local_authorities_and_forces_by_name_and_bounds_the_query()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var advisor = await RecordKit.ClientForAsync(rig, "alice", "Advisor");

        var leeds = await (await advisor.GetAsync("/api/areas?q=LEEDS")).JsonAsync();
        var first = leeds[0];
        Assert.Equal("LocalAuthority", first.GetProperty("kind").GetString());
        Assert.Equal("E08000035", first.GetProperty("code").GetString());
        Assert.Equal("E23000010", first.GetProperty("policeForceCode").GetString());
        Assert.Equal("West Yorkshire Police", first.GetProperty("policeForceName").GetString());

        var forces = await (await advisor.GetAsync("/api/areas?q=yorkshire")).JsonAsync();
        Assert.Contains(forces.EnumerateArray(), a => a.GetProperty("kind").GetString() == "PoliceForce" && a.GetProperty("code").GetString() == "E23000010");
        Assert.Contains(forces.EnumerateArray(), a => a.GetProperty("name").GetString() == "East Riding of Yorkshire");

        var wide = await (await advisor.GetAsync("/api/areas?q=e")).JsonAsync();
        Assert.Equal(20, wide.GetArrayLength());
        Assert.Equal(0, (await (await advisor.GetAsync("/api/areas?q=zzzz")).JsonAsync()).GetArrayLength());
        foreach (var q in new[] { "", "%20%20", new string('a', 65) })
        {
            var response = await advisor.GetAsync($"/api/areas?q={q}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await advisor.GetAsync("/api/areas")).StatusCode);
    }

    [Fact]
    public async Task Callback_number_email_safe_times_and_notes_are_encrypted_at_rest()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var call = await rig.AdvisorOnCallAsync("alice");

        Assert.Equal(HttpStatusCode.OK, (await call.Http.PutAsync(call.RecordPath, RecordKit.FullDraft(notes: "He waits outside the school gates"), "\"0\"")).StatusCode);

        var row = await RawRowAsync(rig, call.ContactId);
        foreach (var secret in new[] { "07700", "900123", "caller@example.org", "Weekdays after 6pm", "school gates" })
        {
            Assert.DoesNotContain(secret, row, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("\"encrypted_notes\":\"v2:0:", row, StringComparison.Ordinal);
        Assert.Equal(0, await rig.Database.CountAsync($"SELECT count(*) FROM console.outbox_messages WHERE payload::text LIKE '%school gates%'"));
        Assert.Equal("He waits outside the school gates", (await (await call.Http.GetAsync(call.RecordPath)).JsonAsync()).GetProperty("notes").GetString());
    }

    [Fact]
    public async Task Urgent_flag_alerts_supervisors_on_every_instance_once_and_advisors_cannot_join_their_hub()
    {
        await using var rig = await ConsoleRig.StartAsync();
        await using var otherInstance = new ServiceHost<ConsoleDbContext>(HelplineSettings.For(rig.Database, rig.VirtualHost)).Start();
        using var call = await rig.AdvisorOnCallAsync("alice");
        var supervisorToken = await TestAccounts.EnsureUserAsync(rig.Console.Address, "sue", "Supervisor");
        var here = new List<JsonElement>();
        var there = new List<JsonElement>();
        await using var supervisorHere = SupervisorConnection(rig.Console.Address, supervisorToken, here);
        await using var supervisorThere = SupervisorConnection(otherInstance.Address, supervisorToken, there);
        await supervisorHere.StartAsync();
        await supervisorThere.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await call.Http.PutAsync(call.RecordPath, RecordKit.FullDraft(urgent: true), "\"0\"")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await call.Http.PutAsync(call.RecordPath, RecordKit.FullDraft(urgent: true, notes: "still urgent"), "\"1\"")).StatusCode);

        foreach (var (alerts, where) in new[] { (here, "the advisor's instance"), (there, "the other instance") })
        {
            var alert = await Eventually.WaitAsync(() => Task.FromResult(Snapshot(alerts)), a => a.Count > 0, Timeout, $"UrgentContactRaised at the supervisor on {where}");
            Assert.Equal(call.ContactId, alert[0].GetProperty("contactId").GetGuid());
            Assert.NotEqual(Guid.Empty, alert[0].GetProperty("advisorId").GetGuid());
            Assert.Equal(["contactId", "advisorId", "at"], alert[0].EnumerateObject().Select(p => p.Name));
        }

        Assert.Equal(1, await rig.Database.CountAsync("SELECT count(*) FROM console.outbox_messages WHERE message_type LIKE 'Helpline.Console.Records.UrgentContactRaised%'"));

        var advisorToken = await TestAccounts.LoginAsync(rig.Console.Address, "alice");
        using var advisorHttp = await TestAccounts.ClientAsync(rig.Console.Address, advisorToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await advisorHttp.PostAsync("/hubs/supervisor/negotiate?negotiateVersion=1", null)).StatusCode);
        using var anonymous = rig.Console.CreateHttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/hubs/supervisor/negotiate?negotiateVersion=1", null)).StatusCode);
        await using var advisorAttempt = SupervisorConnection(rig.Console.Address, advisorToken, []);
        await Assert.ThrowsAnyAsync<Exception>(() => advisorAttempt.StartAsync());
    }

    [Fact]
    public async Task History_shows_the_callers_earlier_contacts_without_notes_or_personal_details()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var first = await rig.AdvisorOnCallAsync("alice");
        await first.Advisor.Connection.InvokeAsync("CompleteContact", first.ContactId);
        await first.Advisor.WaitForAsync("WrapUpScheduled", _ => true, Timeout);
        var wrapUpSave = await first.Http.PutAsync(first.RecordPath, RecordKit.FullDraft(yesAnswers: 5, urgent: true, notes: "Private words from the first call"), "\"0\"");
        Assert.Equal(HttpStatusCode.OK, wrapUpSave.StatusCode);

        using var second = await rig.AdvisorOnCallAsync("bob");
        var history = await (await second.Http.GetAsync($"/api/contacts/{second.ContactId}/history")).JsonAsync();

        Assert.False(history.GetProperty("withheld").GetBoolean());
        Assert.Equal(1, history.GetProperty("count").GetInt32());
        var earlier = history.GetProperty("contacts")[0];
        Assert.Equal("Call", earlier.GetProperty("channel").GetString());
        Assert.Equal("Completed", earlier.GetProperty("status").GetString());
        Assert.True(earlier.GetProperty("urgent").GetBoolean());
        Assert.Equal("medium", earlier.GetProperty("riskBand").GetString());
        Assert.Equal(["informationGiven", "callbackArranged"], earlier.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()));
        var text = history.GetRawText();
        foreach (var secret in new[] { "Private words", "07700", "caller@example.org", first.ContactId.ToString() })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }

        using var withheld = await rig.AdvisorOnCallAsync("carol", withheld: true);
        var none = await (await withheld.Http.GetAsync($"/api/contacts/{withheld.ContactId}/history")).JsonAsync();
        Assert.True(none.GetProperty("withheld").GetBoolean());
        Assert.Equal(0, none.GetProperty("count").GetInt32());
    }

    private static HubConnection SupervisorConnection(Uri console, string token, List<JsonElement> alerts)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(console, "/hubs/supervisor"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        connection.On<JsonElement>("UrgentContactRaised", alert =>
        {
            lock (alerts)
            {
                alerts.Add(alert);
            }
        });
        return connection;
    }

    private static List<JsonElement> Snapshot(List<JsonElement> list)
    {
        lock (list)
        {
            return [.. list];
        }
    }

    private static async Task<string> RawRowAsync(ConsoleRig rig, Guid contactId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(rig.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"SELECT row_to_json(r)::text FROM console.contact_records r WHERE contact_id = '{contactId}'", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
