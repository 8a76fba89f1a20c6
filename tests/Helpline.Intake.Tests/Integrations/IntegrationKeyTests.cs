using System.Net.Http.Headers;
using Helpline.Intake.Integrations;

namespace Helpline.Intake.Tests.Integrations;

/// <summary>
/// The provider-neutral API refuses every request without a current key holding the endpoint's scope,
/// with a 401/403 problem and before anything is stored; the admin's command creates, lists and revokes keys.
/// </summary>
public sealed class IntegrationKeyTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private static string NewId() => $"call-{Guid.NewGuid():N}";

    private static object Call(string id) => new { providerCallId = id, callerNumber = "+447700900123", dialledNumber = "+448088020300" };

    private HttpClient ClientWith(string? authorization)
    {
        var client = fixture.Intake.CreateHttpClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        return client;
    }

    private Task<long> CallRowsAsync(string id) => fixture.Database.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id = '{id}'");

    private Task<long> QueuedAsync(string id) =>
        fixture.Database.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id = '{id}' AND state = 'Queued'");

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        if (status == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    public static TheoryData<string, string?> Unauthenticated => new()
    {
        { "no key", null },
        { "another scheme", "Basic YWRtaW46YWRtaW4=" },
        { "not a key", "Bearer nonsense" },
        { "an unknown key", "Bearer hlk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
    };

    [Theory]
    [MemberData(nameof(Unauthenticated))]
    public async Task A_call_without_a_current_key_is_a_401_problem_and_is_not_stored(string what, string? authorization)
    {
        using var client = ClientWith(authorization);
        var id = NewId();

        using var response = await client.PostAsJsonAsync("/api/calls", Call(id));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.True(await CallRowsAsync(id) == 0, what);
    }

    /// <summary>Found by the fuzz (HostileInputTests): the refusal's problem could not be written for such a caller, and it became a 500.</summary>
    [Fact]
    public async Task A_caller_without_a_key_that_accepts_no_JSON_gets_its_401_not_a_500()
    {
        using var client = ClientWith(null);
        client.DefaultRequestHeaders.Accept.ParseAdd("application/xml");
        var id = NewId();

        using var response = await client.PostAsJsonAsync("/api/calls", Call(id));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await CallRowsAsync(id));
    }

    [Fact]
    public async Task A_key_with_its_secret_altered_is_refused()
    {
        var key = await fixture.Intake.CreateIntegrationKeyAsync(IntegrationScopes.Calls);
        var altered = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');
        using var client = ClientWith($"Bearer {altered}");
        var id = NewId();

        using var response = await client.PostAsJsonAsync("/api/calls", Call(id));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(0, await CallRowsAsync(id));
    }

    [Theory]
    [InlineData("hangup", "{}")]
    [InlineData("ended", """{"endedBy":"Caller"}""")]
    [InlineData("answered", """{"advisorId":"0190b4a4-0000-7000-8000-000000000001"}""")]
    [InlineData("connect-failed", """{"advisorId":"0190b4a4-0000-7000-8000-000000000001","reason":"busy"}""")]
    public async Task A_lifecycle_event_without_a_key_is_a_401_and_leaves_the_call_queued(string action, string body)
    {
        var id = NewId();
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.Client.PostAsJsonAsync("/api/calls", Call(id))).StatusCode);
        Assert.Equal(1, await QueuedAsync(id));
        using var anonymous = ClientWith(null);

        using var response = await anonymous.PostRawAsync($"/api/calls/{id}/{action}", "application/json", body);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(1, await QueuedAsync(id));
    }

    [Fact]
    public async Task A_key_without_the_calls_scope_cannot_announce_a_call()
    {
        using var client = await fixture.Intake.CreateIntegrationClientAsync(IntegrationScopes.Callbacks);
        var id = NewId();

        using var response = await client.PostAsJsonAsync("/api/calls", Call(id));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(0, await CallRowsAsync(id));
    }

    [Fact]
    public async Task A_key_without_the_callbacks_scope_cannot_record_a_callback_number()
    {
        using var calls = await fixture.Intake.CreateIntegrationClientAsync(IntegrationScopes.Calls);
        var id = NewId();
        Assert.Equal(HttpStatusCode.Accepted, (await calls.PostAsJsonAsync("/api/calls", Call(id))).StatusCode);

        using var response = await calls.PostAsJsonAsync($"/api/calls/{id}/callback", new { callbackNumber = "+447700900123" });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(0, await fixture.Database.CountAsync(
            $"SELECT count(*) FROM intake.callback_requests r JOIN intake.inbound_calls c ON c.id = r.contact_id WHERE c.provider_call_id = '{id}'"));
    }

    [Fact]
    public async Task The_admin_command_creates_a_key_into_a_private_file_lists_it_without_the_key_and_revokes_it_at_once()
    {
        var name = $"bridge-{Guid.NewGuid():N}"[..20];
        var file = Path.Combine(Path.GetTempPath(), $"helpline-key-{Guid.NewGuid():N}");
        try
        {
            var output = new StringWriter();
            Assert.True(await IntegrationKeyCommand.RunAsync(fixture.Intake.Services, [IntegrationKeyCommand.Verb, "create", name, "calls", file], output));
            var key = await File.ReadAllTextAsync(file);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            Assert.DoesNotContain(key, output.ToString(), StringComparison.Ordinal);
            Assert.Equal(1, await fixture.Database.CountAsync($"SELECT count(*) FROM intake.integration_keys WHERE name = '{name}' AND length(secret_hash) = 32 AND position('{key[^12..]}' in key_id) = 0"));

            using var client = ClientWith($"Bearer {key}");
            var before = NewId();
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/calls", Call(before))).StatusCode);

            var listed = new StringWriter();
            await IntegrationKeyCommand.RunAsync(fixture.Intake.Services, [IntegrationKeyCommand.Verb, "list"], listed);
            Assert.Contains($"{name}\tcalls\t", listed.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(key, listed.ToString(), StringComparison.Ordinal);

            await Assert.ThrowsAsync<InvalidOperationException>(() => IntegrationKeyCommand.RunAsync(fixture.Intake.Services, [IntegrationKeyCommand.Verb, "create", name, "calls", file + "-again"], TextWriter.Null));
            await Assert.ThrowsAsync<InvalidOperationException>(() => IntegrationKeyCommand.RunAsync(fixture.Intake.Services, [IntegrationKeyCommand.Verb, "create", name + "x", "everything", file + "-again"], TextWriter.Null));

            Assert.True(await IntegrationKeyCommand.RunAsync(fixture.Intake.Services, [IntegrationKeyCommand.Verb, "revoke", name], TextWriter.Null));
            var after = NewId();
            using var refused = await client.PostAsJsonAsync("/api/calls", Call(after));

            await AssertProblemAsync(refused, HttpStatusCode.Unauthorized);
            Assert.Equal(0, await CallRowsAsync(after));
            Assert.Equal(1, await CallRowsAsync(before));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Opening_hours_stay_public()
    {
        using var anonymous = ClientWith(null);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/opening-hours")).StatusCode);
    }
}
