namespace Helpline.Intake.Tests.Calls;

/// <summary>The provider-neutral lifecycle (hang-up, ended) and the simulated provider: the whole call without Twilio.</summary>
public sealed class CallLifecycleApiTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static string NewId() => $"call-{Guid.NewGuid():N}";

    private async Task<Guid> AnnounceAsync(string id)
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/calls", new { providerCallId = id, callerNumber = (string?)null, dialledNumber = "+448088020300" });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetGuid();
    }

    private Task<HttpResponseMessage> PostAsync(string path, object body) => fixture.Client.PostAsJsonAsync(path, body);

    private Task<long> CountAsync(string sql) => fixture.Database.CountAsync(sql);

    private async Task<Guid> ConnectAsync(Guid contactId)
    {
        var advisorId = Guid.NewGuid();
        await fixture.Intake.Services.GetRequiredService<IBus>().Publish(new ConnectCall { ContactId = contactId, AdvisorId = advisorId, AdvisorEndpoint = "client:advisor-1" });
        await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Events[typeof(CallConnected)].CountWhere("contactId", contactId.ToString())),
            count => count == 1, Timeout, "CallConnected from the simulated provider");
        return advisorId;
    }

    [Fact]
    public async Task Answer_reported_for_a_call_the_simulated_provider_connected_changes_nothing()
    {
        var id = NewId();
        var contactId = await AnnounceAsync(id);
        var advisorId = await ConnectAsync(contactId);

        var same = await PostAsync($"/api/calls/{id}/answered", new { advisorId });
        var other = await PostAsync($"/api/calls/{id}/answered", new { advisorId = Guid.NewGuid() });

        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.False((await same.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE message_type = 'Helpline.Contracts.CallConnected, Helpline.Contracts' AND payload->>'contactId' = '{contactId}'"));
    }

    [Fact]
    public async Task Advisor_completing_the_call_in_the_console_completes_it_here_without_publishing_CallEnded()
    {
        var id = NewId();
        var contactId = await AnnounceAsync(id);
        var advisorId = await ConnectAsync(contactId);

        await fixture.Intake.Services.GetRequiredService<IBus>().Publish(new EndCall { ContactId = contactId, AdvisorId = advisorId, At = DateTimeOffset.UtcNow });

        await Eventually.WaitAsync(
            () => CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Completed' AND ended_by = 'Advisor'"),
            count => count == 1, Timeout, "the call completed by the advisor");
        var late = await PostAsync($"/api/calls/{id}/ended", new { endedBy = "Caller" });
        Assert.False((await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE message_type = 'Helpline.Contracts.CallEnded, Helpline.Contracts' AND payload->>'contactId' = '{contactId}'"));
    }

    [Fact]
    public async Task Caller_hanging_up_in_the_queue_is_abandoned_once()
    {
        var id = NewId();
        var contactId = await AnnounceAsync(id);

        var first = await PostAsync($"/api/calls/{id}/hangup", new { });
        var repeat = await PostAsync($"/api/calls/{id}/hangup", new { });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(contactId, body.GetProperty("contactId").GetGuid());
        Assert.Equal("Abandoned", body.GetProperty("state").GetString());
        Assert.True(body.GetProperty("changed").GetBoolean());
        Assert.False((await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE message_type = 'Helpline.Contracts.CallerHungUp, Helpline.Contracts' AND payload->>'contactId' = '{contactId}'"));
        await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Events[typeof(CallerHungUp)].CountWhere("contactId", contactId.ToString())),
            count => count == 1, Timeout, "CallerHungUp");
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(10_000, true)]
    [InlineData(10_001, false)]
    public async Task Abandon_within_the_configured_threshold_is_flagged_short(int waitedMilliseconds, bool shortAbandon)
    {
        var id = NewId();
        var now = DateTimeOffset.UtcNow;
        var receivedAt = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddMinutes(-2);
        var announced = await PostAsync("/api/calls", new { providerCallId = id, callerNumber = (string?)null, dialledNumber = "+448088020300", receivedAt });
        var contactId = (await announced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetGuid();

        var response = await PostAsync($"/api/calls/{id}/hangup", new { at = receivedAt + TimeSpan.FromMilliseconds(waitedMilliseconds) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10, IntakeFixture.ShortAbandonThreshold.TotalSeconds);
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Abandoned' AND short_abandon = {shortAbandon}"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE payload->>'contactId' = '{contactId}' AND (payload->>'shortAbandon')::boolean = {shortAbandon}"));
    }

    [Fact]
    public async Task Answered_call_ended_by_the_caller_is_never_a_short_abandon()
    {
        var id = NewId();
        var contactId = await AnnounceAsync(id);
        await ConnectAsync(contactId);

        await PostAsync($"/api/calls/{id}/hangup", new { });

        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Completed' AND NOT short_abandon"));
    }

    [Fact]
    public async Task Simulated_provider_connects_and_the_answered_call_ends_once_with_who_hung_up()
    {
        var id = NewId();
        var contactId = await AnnounceAsync(id);
        await ConnectAsync(contactId);

        var ended = await PostAsync($"/api/calls/{id}/ended", new { endedBy = "advisor", at = DateTimeOffset.UtcNow });
        var repeat = await PostAsync($"/api/calls/{id}/ended", new { endedBy = "Advisor" });
        var lateHangup = await PostAsync($"/api/calls/{id}/hangup", new { });

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal("Completed", (await ended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.False((await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
        Assert.False((await lateHangup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Completed' AND ended_by = 'Advisor' AND answered_at IS NOT NULL"));
        var published = await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Events[typeof(CallEnded)].Messages.Where(m => m.GetProperty("contactId").GetGuid() == contactId).ToList()),
            list => list.Count == 1, Timeout, "CallEnded");
        Assert.Equal((int)CallEndedBy.Advisor, published[0].GetProperty("endedBy").GetInt32());
        Assert.Equal(0, fixture.Events[typeof(CallerHungUp)].CountWhere("contactId", contactId.ToString()));
    }

    [Fact]
    public async Task Caller_hanging_up_after_the_answer_completes_the_call_ended_by_the_caller()
    {
        var id = NewId();
        var contactId = await AnnounceAsync(id);
        await ConnectAsync(contactId);

        var response = await PostAsync($"/api/calls/{id}/hangup", new { });

        Assert.Equal("Completed", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND ended_by = 'Caller'"));
    }

    [Fact]
    public async Task Ending_a_call_that_was_never_answered_is_a_conflict()
    {
        var id = NewId();
        await AnnounceAsync(id);

        var response = await PostAsync($"/api/calls/{id}/ended", new { endedBy = "Caller" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id = '{id}' AND state = 'Queued'"));
    }

    [Theory]
    [InlineData("hangup")]
    [InlineData("ended")]
    public async Task Unknown_call_is_not_found(string action)
    {
        var response = await PostAsync($"/api/calls/{NewId()}/{action}", action == "ended" ? new { endedBy = "Caller" } : new { });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string, string, string, string> BadRequests => new()
    {
        { "hangup", "malformed JSON", "application/json", "{\"at\": " },
        { "hangup", "wrong content type", "text/plain", "{}" },
        { "hangup", "form body", "application/x-www-form-urlencoded", "at=now" },
        { "hangup", "unknown field", "application/json", "{\"reason\":\"x\"}" },
        { "hangup", "time in the future", "application/json", "{\"at\":\"2999-01-01T00:00:00Z\"}" },
        { "hangup", "not a time", "application/json", "{\"at\":\"yesterday\"}" },
        { "hangup", "oversized", "application/json", $"{{\"at\":\"{new string(' ', 20_000)}\"}}" },
        { "ended", "missing endedBy", "application/json", "{}" },
        { "ended", "unknown endedBy", "application/json", "{\"endedBy\":\"Stalker\"}" },
        { "ended", "null endedBy", "application/json", "{\"endedBy\":null}" },
        { "ended", "numeric endedBy", "application/json", "{\"endedBy\":1}" },
        { "ended", "JSON null", "application/json", "null" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_lifecycle_request_is_refused_with_problem_details_and_changes_nothing(string action, string why, string contentType, string body)
    {
        var id = NewId();
        var contactId = await AnnounceAsync(id);
        var outboxBefore = await fixture.Database.OutboxRowsAsync(contactId);

        using var response = await fixture.Client.PostRawAsync($"/api/calls/{id}/{action}", contentType, body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Queued'"));
        Assert.Equal(outboxBefore, await fixture.Database.OutboxRowsAsync(contactId));
    }

    [Fact]
    public async Task OpenApi_document_describes_every_lifecycle_endpoint()
    {
        var document = await fixture.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        foreach (var action in new[] { "hangup", "answered", "connect-failed", "ended", "callback" })
        {
            Assert.True(paths.TryGetProperty($"/api/calls/{{providerCallId}}/{action}", out var path), action);
            Assert.True(path.GetProperty("post").TryGetProperty("requestBody", out _), action);
        }
    }

    [Fact]
    public async Task Twilio_webhooks_are_not_served_with_the_simulated_provider()
    {
        var response = await fixture.Client.PostAsync("/twilio/voice/incoming", new FormUrlEncodedContent(new Dictionary<string, string> { ["CallSid"] = "CA0" }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
