namespace Helpline.Intake.Tests.Calls;

/// <summary>
/// A PBX bridge driving the whole lifecycle without Twilio: Intake asks it to connect, turn away and hang
/// up; it reports the answer (<c>/answered</c>), a failed connection (<c>/connect-failed</c>) or nothing
/// (the answer timeout).
/// </summary>
public sealed class ExternalBridgeTests(ExternalBridgeFixture fixture) : IClassFixture<ExternalBridgeFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static string NewId() => $"pbx-{Guid.NewGuid():N}";

    private Task<long> CountAsync(string sql) => fixture.Database.CountAsync(sql);

    private Task PublishAsync<T>(T message)
        where T : class => fixture.Intake.Services.GetRequiredService<IBus>().Publish(message);

    private Task<HttpResponseMessage> PostAsync(string path, object body) => fixture.Client.PostAsJsonAsync(path, body);

    private async Task<Guid> AnnounceAsync(string id)
    {
        var response = await PostAsync("/api/calls", new { providerCallId = id, callerNumber = "+447700900123", dialledNumber = "+448088020300" });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetGuid();
    }

    private async Task<(string Id, Guid ContactId, Guid AdvisorId)> ConnectingCallAsync(string endpoint = "+447700900111")
    {
        var id = NewId();
        var contactId = await AnnounceAsync(id);
        var advisorId = Guid.NewGuid();
        await PublishAsync(new ConnectCall { ContactId = contactId, AdvisorId = advisorId, AdvisorEndpoint = endpoint });
        await Eventually.WaitAsync(() => Task.FromResult(fixture.Bridge.For(contactId, "connect").Count), count => count == 1, Timeout, "the bridge asked to connect");
        await Eventually.WaitAsync(
            () => CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Connecting'"),
            count => count == 1, Timeout, "the call connecting");
        return (id, contactId, advisorId);
    }

    private Task<long> OutboxRowsAsync(Guid contactId, string type) =>
        CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE message_type = 'Helpline.Contracts.{type}, Helpline.Contracts' AND payload->>'contactId' = '{contactId}'");

    [Fact]
    public async Task Bridge_is_asked_to_connect_and_the_call_waits_for_its_answer_report()
    {
        var (id, contactId, advisorId) = await ConnectingCallAsync();

        var connect = fixture.Bridge.For(contactId, "connect").Single();
        Assert.Equal($"Bearer {ExternalBridgeFixture.Token}", connect.Authorization);
        Assert.Equal(id, connect.Body.GetProperty("providerCallId").GetString());
        Assert.Equal(advisorId, connect.Body.GetProperty("advisorId").GetGuid());
        Assert.Equal("+447700900111", connect.Body.GetProperty("advisorEndpoint").GetString());
        Assert.Equal("+448088020300", connect.Body.GetProperty("callerId").GetString());
        Assert.DoesNotContain("7700900123", connect.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, await OutboxRowsAsync(contactId, "CallConnected"));

        var answered = await PostAsync($"/api/calls/{id}/answered", new { advisorId });
        var repeat = await PostAsync($"/api/calls/{id}/answered", new { advisorId, at = DateTimeOffset.UtcNow });

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var body = await answered.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(contactId, body.GetProperty("contactId").GetGuid());
        Assert.Equal("Answered", body.GetProperty("state").GetString());
        Assert.True(body.GetProperty("changed").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.False((await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Answered' AND advisor_id = '{advisorId}' AND answered_at IS NOT NULL"));
        Assert.Equal(1, await OutboxRowsAsync(contactId, "CallConnected"));
        var published = await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Events[typeof(CallConnected)].Messages.Where(m => m.GetProperty("contactId").GetGuid() == contactId).ToList()),
            list => list.Count == 1, Timeout, "CallConnected");
        Assert.Equal(advisorId, published[0].GetProperty("advisorId").GetGuid());
    }

    [Fact]
    public async Task Advisor_completing_the_call_in_the_console_asks_the_bridge_to_hang_up()
    {
        var (id, contactId, advisorId) = await ConnectingCallAsync("client:advisor-5");
        Assert.Equal("client:advisor-5", fixture.Bridge.For(contactId, "connect").Single().Body.GetProperty("advisorEndpoint").GetString());
        await PostAsync($"/api/calls/{id}/answered", new { advisorId });

        await PublishAsync(new EndCall { ContactId = contactId, AdvisorId = advisorId, At = DateTimeOffset.UtcNow });

        var hangUp = (await Eventually.WaitAsync(() => Task.FromResult(fixture.Bridge.For(contactId, "hang-up")), list => list.Count == 1, Timeout, "the hang-up request")).Single();
        Assert.Equal(id, hangUp.Body.GetProperty("providerCallId").GetString());
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Completed' AND ended_by = 'Advisor'"));
        Assert.Equal(0, await OutboxRowsAsync(contactId, "CallEnded"));
    }

    [Fact]
    public async Task Bridge_reporting_the_advisor_did_not_answer_puts_the_call_back_in_the_queue()
    {
        var (id, contactId, advisorId) = await ConnectingCallAsync();

        var failed = await PostAsync($"/api/calls/{id}/connect-failed", new { advisorId, reason = "no-answer" });
        var repeat = await PostAsync($"/api/calls/{id}/connect-failed", new { advisorId, reason = "no-answer" });
        var lateAnswer = await PostAsync($"/api/calls/{id}/answered", new { advisorId });

        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        Assert.Equal("Queued", (await failed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.False((await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, lateAnswer.StatusCode);
        Assert.Equal(1, await OutboxRowsAsync(contactId, "CallConnectFailed"));
        var published = await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Events[typeof(CallConnectFailed)].Messages.Where(m => m.GetProperty("contactId").GetGuid() == contactId).ToList()),
            list => list.Count == 1, Timeout, "CallConnectFailed");
        Assert.Equal("The advisor's phone did not answer (no-answer).", published[0].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Bridge_refusing_the_connect_request_fails_it_at_once()
    {
        var id = NewId();
        var contactId = await AnnounceAsync(id);
        fixture.Bridge.FailWith = 503;
        try
        {
            await PublishAsync(new ConnectCall { ContactId = contactId, AdvisorId = Guid.NewGuid(), AdvisorEndpoint = "+447700900111" });
            var failed = await Eventually.WaitAsync(
                () => Task.FromResult(fixture.Events[typeof(CallConnectFailed)].Messages.Where(m => m.GetProperty("contactId").GetGuid() == contactId).ToList()),
                list => list.Count == 1, Timeout, "CallConnectFailed");
            Assert.Contains("HTTP 503", failed[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            fixture.Bridge.FailWith = null;
        }

        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Queued' AND advisor_id IS NULL"));
    }

    [Fact]
    public async Task Bridge_never_reporting_an_answer_puts_the_call_back_in_the_queue_after_the_timeout()
    {
        var (id, contactId, advisorId) = await ConnectingCallAsync();

        var failed = await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Events[typeof(CallConnectFailed)].Messages.Where(m => m.GetProperty("contactId").GetGuid() == contactId).ToList()),
            list => list.Count == 1, Timeout + ExternalBridgeFixture.AnswerTimeout, "CallConnectFailed after the answer timeout");

        Assert.Equal(advisorId, failed[0].GetProperty("advisorId").GetGuid());
        Assert.Contains("did not report an answer", failed[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Queued' AND advisor_id IS NULL"));
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync($"/api/calls/{id}/answered", new { advisorId })).StatusCode);
    }

    [Fact]
    public async Task Turned_away_call_is_handed_to_the_bridge_with_the_reason()
    {
        var id = NewId();
        var contactId = await AnnounceAsync(id);

        await PublishAsync(new TurnAwayCall { ContactId = contactId, Reason = UnansweredReason.Overflow });

        var request = (await Eventually.WaitAsync(() => Task.FromResult(fixture.Bridge.For(contactId, "turn-away")), list => list.Count == 1, Timeout, "the turn-away request")).Single();
        Assert.Equal("Overflow", request.Body.GetProperty("reason").GetString());
        Assert.False(request.Body.GetProperty("offerCallback").GetBoolean());
        await Eventually.WaitAsync(
            () => CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Overflow'"),
            count => count == 1, Timeout, "the call recorded Overflow");
    }

    [Fact]
    public async Task Answer_for_another_advisor_a_waiting_call_or_an_unknown_call_is_refused_and_changes_nothing()
    {
        var (id, contactId, _) = await ConnectingCallAsync();
        var waitingId = NewId();
        var waitingContact = await AnnounceAsync(waitingId);

        var otherAdvisor = await PostAsync($"/api/calls/{id}/answered", new { advisorId = Guid.NewGuid() });
        var waiting = await PostAsync($"/api/calls/{waitingId}/answered", new { advisorId = Guid.NewGuid() });
        var unknown = await PostAsync($"/api/calls/{NewId()}/answered", new { advisorId = Guid.NewGuid() });
        var unknownFailed = await PostAsync($"/api/calls/{NewId()}/connect-failed", new { advisorId = Guid.NewGuid(), reason = "busy" });
        var otherFailed = await PostAsync($"/api/calls/{id}/connect-failed", new { advisorId = Guid.NewGuid(), reason = "busy" });

        Assert.Equal(HttpStatusCode.Conflict, otherAdvisor.StatusCode);
        Assert.Equal("application/problem+json", otherAdvisor.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Conflict, waiting.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknownFailed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, otherFailed.StatusCode);
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Connecting'"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{waitingContact}' AND state = 'Queued'"));
        Assert.Equal(0, await OutboxRowsAsync(contactId, "CallConnected"));
        Assert.Equal(0, await OutboxRowsAsync(contactId, "CallConnectFailed"));
    }

    public static TheoryData<string, string, string, string> BadRequests => new()
    {
        { "answered", "malformed JSON", "application/json", "{\"advisorId\": " },
        { "answered", "wrong content type", "text/plain", "{}" },
        { "answered", "missing advisorId", "application/json", "{}" },
        { "answered", "advisorId not a uuid", "application/json", "{\"advisorId\":\"advisor-1\"}" },
        { "answered", "empty advisorId", "application/json", "{\"advisorId\":\"00000000-0000-0000-0000-000000000000\"}" },
        { "answered", "unknown field", "application/json", "{\"advisorId\":\"6f1c2b1e-7a51-4c55-9d7e-0a4f0b7f3a11\",\"callerNumber\":\"+447700900123\"}" },
        { "answered", "time in the future", "application/json", "{\"advisorId\":\"6f1c2b1e-7a51-4c55-9d7e-0a4f0b7f3a11\",\"at\":\"2999-01-01T00:00:00Z\"}" },
        { "answered", "oversized", "application/json", $"{{\"advisorId\":\"{new string(' ', 20_000)}\"}}" },
        { "connect-failed", "missing reason", "application/json", "{\"advisorId\":\"6f1c2b1e-7a51-4c55-9d7e-0a4f0b7f3a11\"}" },
        { "connect-failed", "free-text reason", "application/json", "{\"advisorId\":\"6f1c2b1e-7a51-4c55-9d7e-0a4f0b7f3a11\",\"reason\":\"caller said hi\"}" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_answer_or_failure_report_is_refused_with_problem_details_and_changes_nothing(string action, string why, string contentType, string body)
    {
        var (id, contactId, _) = await ConnectingCallAsync();
        var outboxBefore = await fixture.Database.OutboxRowsAsync(contactId);

        using var response = await fixture.Client.PostRawAsync($"/api/calls/{id}/{action}", contentType, body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Connecting'"));
        Assert.Equal(outboxBefore, await fixture.Database.OutboxRowsAsync(contactId));
    }
}
