namespace Helpline.Intake.Tests.Calls;

public sealed class CallApiTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static object Call(string id, string? caller = "+447700900123") =>
        new { providerCallId = id, callerNumber = caller, dialledNumber = "+448088020300" };

    private static string NewId() => $"call-{Guid.NewGuid():N}";

    [Fact]
    public async Task Accepted_call_is_stored_with_its_outbox_row_and_published_once()
    {
        var id = NewId();

        var response = await fixture.Client.PostAsJsonAsync("/api/calls", Call(id));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var contactId = body.GetProperty("contactId").GetGuid();
        Assert.False(body.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, await fixture.Database.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND provider_call_id = '{id}'"));
        await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published.CountWhere("contactId", contactId.ToString())),
            count => count == 1, Timeout, "ContactReceived on the broker");
        await Eventually.WaitAsync(
            () => fixture.Database.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE sent_at IS NOT NULL AND payload->>'contactId' = '{contactId}'"),
            count => count == 1, Timeout, "the outbox row marked sent");
    }

    [Fact]
    public async Task Same_provider_call_id_twice_gives_the_same_contact_one_row_one_message()
    {
        var id = NewId();

        var first = await (await fixture.Client.PostAsJsonAsync("/api/calls", Call(id))).Content.ReadFromJsonAsync<JsonElement>();
        var second = await fixture.Client.PostAsJsonAsync("/api/calls", Call(id));
        var repeated = await second.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var contactId = first.GetProperty("contactId").GetGuid();
        Assert.Equal(contactId, repeated.GetProperty("contactId").GetGuid());
        Assert.True(repeated.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, await fixture.Database.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id = '{id}'"));
        Assert.Equal(1, await fixture.Database.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE payload->>'contactId' = '{contactId}'"));
        await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published.CountWhere("contactId", contactId.ToString())),
            count => count == 1, Timeout, "ContactReceived on the broker");
    }

    [Fact]
    public async Task Concurrent_retries_of_one_call_store_it_once()
    {
        var id = NewId();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fixture.Client.PostAsJsonAsync("/api/calls", Call(id))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetGuid()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await fixture.Database.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id = '{id}'"));
        Assert.Equal(1, await fixture.Database.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE payload->>'contactId' = '{ids[0]}'"));
    }

    [Fact]
    public async Task A_burst_of_calls_and_their_retries_is_stored_in_fewer_commits_each_call_once_with_its_message()
    {
        const int Calls = 200;
        var burst = $"burst-{Guid.NewGuid():N}";
        var ids = Enumerable.Range(0, Calls).Select(i => $"{burst}-{i}").ToList();

        // Every call twice, all at once: a provider retrying each call while the first copy is in flight.
        var responses = await Task.WhenAll(ids.Concat(ids).Select(id => fixture.Client.PostAsJsonAsync("/api/calls", Call(id))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var answers = await Task.WhenAll(responses.Select(async r => await r.Content.ReadFromJsonAsync<JsonElement>()));
        var byCall = ids.Concat(ids).Zip(answers).GroupBy(pair => pair.First, pair => pair.Second).ToList();
        Assert.All(byCall, copies =>
        {
            Assert.Single(copies.Select(a => a.GetProperty("contactId").GetGuid()).Distinct());
            Assert.Single(copies, a => !a.GetProperty("duplicate").GetBoolean());
        });
        Assert.Equal(Calls, await fixture.Database.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id LIKE '{burst}-%'"));
        Assert.Equal(Calls, await fixture.Database.CountAsync(
            $"SELECT count(*) FROM intake.outbox_messages WHERE payload->>'contactId' IN (SELECT id::text FROM intake.inbound_calls WHERE provider_call_id LIKE '{burst}-%')"));
        // Each row's xmin is the transaction that inserted it: one transaction per call would give 200.
        var commits = await fixture.Database.CountAsync($"SELECT count(DISTINCT xmin::text) FROM intake.inbound_calls WHERE provider_call_id LIKE '{burst}-%'");
        Assert.InRange(commits, 1, Calls / 2);
    }

    [Fact]
    public async Task Caller_number_is_stored_only_as_a_keyed_hash_and_withheld_has_none()
    {
        var known = NewId();
        var withheld = NewId();

        await fixture.Client.PostAsJsonAsync("/api/calls", Call(known, "+447700900777"));
        await fixture.Client.PostAsJsonAsync("/api/calls", Call(withheld, null));

        Assert.Equal(1, await fixture.Database.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id = '{known}' AND length(caller_key) = 64"));
        Assert.Equal(1, await fixture.Database.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id = '{withheld}' AND caller_key IS NULL"));
        Assert.Equal(0, await fixture.Database.CountAsync("SELECT count(*) FROM intake.inbound_calls c WHERE c::text LIKE '%7700900777%'"));
        Assert.Equal(0, await fixture.Database.CountAsync("SELECT count(*) FROM intake.outbox_messages m WHERE m::text LIKE '%7700900777%'"));
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "malformed JSON", "application/json", "{\"providerCallId\": \"bad-1\", " },
        { "not an object", "application/json", "[1,2,3]" },
        { "JSON null", "application/json", "null" },
        { "wrong content type", "text/plain", "{\"providerCallId\":\"bad-2\",\"callerNumber\":null,\"dialledNumber\":\"+448088020300\"}" },
        { "form body", "application/x-www-form-urlencoded", "providerCallId=bad-3&dialledNumber=%2B448088020300" },
        { "unknown field", "application/json", "{\"providerCallId\":\"bad-4\",\"callerNumber\":null,\"dialledNumber\":\"+448088020300\",\"name\":\"x\"}" },
        { "missing providerCallId", "application/json", "{\"callerNumber\":null,\"dialledNumber\":\"+448088020300\"}" },
        { "missing callerNumber", "application/json", "{\"providerCallId\":\"bad-5\",\"dialledNumber\":\"+448088020300\"}" },
        { "null dialledNumber", "application/json", "{\"providerCallId\":\"bad-6\",\"callerNumber\":null,\"dialledNumber\":null}" },
        { "caller not E.164", "application/json", "{\"providerCallId\":\"bad-7\",\"callerNumber\":\"07700 900123\",\"dialledNumber\":\"+448088020300\"}" },
        { "hostile id", "application/json", "{\"providerCallId\":\"x'; DROP TABLE intake.inbound_calls;--\",\"callerNumber\":null,\"dialledNumber\":\"+448088020300\"}" },
        { "id too long", "application/json", $"{{\"providerCallId\":\"{new string('a', 129)}\",\"callerNumber\":null,\"dialledNumber\":\"+448088020300\"}}" },
        { "time in the future", "application/json", "{\"providerCallId\":\"bad-8\",\"callerNumber\":null,\"dialledNumber\":\"+448088020300\",\"receivedAt\":\"2999-01-01T00:00:00Z\"}" },
        { "wrong type", "application/json", "{\"providerCallId\":42,\"callerNumber\":null,\"dialledNumber\":\"+448088020300\"}" },
        { "oversized", "application/json", $"{{\"providerCallId\":\"bad-9\",\"callerNumber\":null,\"dialledNumber\":\"+448088020300\",\"receivedAt\":\"{new string(' ', 20_000)}\"}}" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_request_is_refused_with_problem_details_and_changes_nothing(string why, string contentType, string body)
    {
        var callsBefore = await fixture.Database.CountAsync("SELECT count(*) FROM intake.inbound_calls");
        var outboxBefore = await fixture.Database.CountAsync("SELECT count(*) FROM intake.outbox_messages");

        using var response = await fixture.Client.PostRawAsync("/api/calls", contentType, body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.Equal(callsBefore, await fixture.Database.CountAsync("SELECT count(*) FROM intake.inbound_calls"));
        Assert.Equal(outboxBefore, await fixture.Database.CountAsync("SELECT count(*) FROM intake.outbox_messages"));
    }

    [Fact]
    public async Task Oversized_chunked_body_is_refused_without_reading_past_the_limit()
    {
        var callsBefore = await fixture.Database.CountAsync("SELECT count(*) FROM intake.inbound_calls");
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"providerCallId\":\"" + new string('x', 1_000_000) + "\"}")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/calls") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(callsBefore, await fixture.Database.CountAsync("SELECT count(*) FROM intake.inbound_calls"));
    }

    [Fact]
    public async Task Health_endpoints_report_live_and_ready_with_both_checks()
    {
        var live = await fixture.Client.GetAsync("/health/live");
        var ready = await Eventually.WaitAsync(
            () => fixture.Client.GetAsync("/health/ready"),
            r => r.StatusCode == HttpStatusCode.OK, Timeout, "ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("postgres").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("rabbitmq").GetString());
    }
}
