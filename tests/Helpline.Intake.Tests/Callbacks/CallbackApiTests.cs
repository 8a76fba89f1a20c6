using System.Security.Cryptography;
using Helpline.Intake.Callbacks;
using Helpline.Intake.Data;
using Helpline.Intake.Tests.Telephony;
using Helpline.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Helpline.Intake.Tests.Callbacks;

/// <summary>Intake with the simulated provider, callbacks enabled and every log entry captured.</summary>
public sealed class CallbackApiFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = TestDatabase.Create("intake_cb");

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public IntakeHost Intake { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public MessageProbe CallbackRequested { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        VirtualHost = await TestVirtualHost.CreateAsync();
        await Database.MigrateAsync<IntakeDbContext>(IntakeDbContext.Schema, options => new IntakeDbContext(options));
        CallbackRequested = await MessageProbe.CreateAsync(VirtualHost.ConnectionString, typeof(CallbackRequested));
        var settings = HelplineSettings.AlwaysOpenFor(Database, VirtualHost);
        settings["Callbacks:Enabled"] = "true";
        Intake = new IntakeHost(settings, TimeProvider.System);
        Client = Intake.CreateClient().SendingKey(await Intake.CreateIntegrationKeyAsync());
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Intake.DisposeAsync();
        await CallbackRequested.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary><c>POST /api/calls/{id}/callback</c>: the provider-neutral consent, with the number in the JSON body.</summary>
public sealed class CallbackApiTests(CallbackApiFixture fixture) : IClassFixture<CallbackApiFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static string NewId() => $"pbx-{Guid.NewGuid():N}";

    private static string NewNumber() => $"+4477009{Random.Shared.Next(10000, 99999)}";

    private Task<long> CountAsync(string sql) => fixture.Database.CountAsync(sql);

    private async Task<Guid> CallAsync(string id, string? callerNumber, UnansweredReason? turnedAway)
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/calls", new { providerCallId = id, callerNumber, dialledNumber = "+448088020300" });
        var contactId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetGuid();
        if (turnedAway is { } reason)
        {
            await fixture.Intake.Services.GetRequiredService<IBus>().Publish(new TurnAwayCall { ContactId = contactId, Reason = reason });
            await Eventually.WaitAsync(
                () => CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = '{reason}'"),
                count => count == 1, Timeout, $"the call turned away ({reason})");
        }

        return contactId;
    }

    [Fact]
    public async Task Consent_on_an_overflowed_call_stores_the_number_encrypted_once_and_publishes_no_number()
    {
        var id = NewId();
        var number = NewNumber();
        var contactId = await CallAsync(id, number, UnansweredReason.Overflow);

        var first = await fixture.Client.PostAsJsonAsync($"/api/calls/{id}/callback", new { callbackNumber = number });
        var repeat = await fixture.Client.PostAsJsonAsync($"/api/calls/{id}/callback", new { callbackNumber = number });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(contactId, body.GetProperty("contactId").GetGuid());
        Assert.True(body.GetProperty("changed").GetBoolean());
        Assert.False((await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.callback_requests WHERE contact_id = '{contactId}'"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE message_type = 'Helpline.Contracts.CallbackRequested, Helpline.Contracts' AND payload->>'contactId' = '{contactId}'"));
        var published = await Eventually.WaitAsync(
            () => Task.FromResult(fixture.CallbackRequested.Messages.Where(m => m.GetProperty("contactId").GetGuid() == contactId).ToList()),
            list => list.Count == 1, Timeout, "CallbackRequested");
        Assert.Equal(["contactId", "requestedAt"], published[0].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var digits = number[3..];
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM intake.callback_requests WHERE contact_id = '{contactId}' AND encrypted_number LIKE 'v2:0:%'"));
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM intake.callback_requests WHERE position('{digits}' in encrypted_number) > 0 OR position(convert_to('{digits}', 'UTF8') in decode(substr(encrypted_number, 6), 'base64')) > 0"));
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM intake.inbound_calls c WHERE c::text LIKE '%{digits}%'"));
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM intake.outbox_messages m WHERE m::text LIKE '%{digits}%'"));
        Assert.Empty(fixture.Intake.Logs.Containing(digits));
        Assert.NotEmpty(fixture.Intake.Logs.Containing(contactId.ToString()));

        await using var scope = fixture.Intake.Services.CreateAsyncScope();
        Assert.Equal(number, await scope.ServiceProvider.GetRequiredService<CallbackNumbers>().NumberForAsync(contactId, CancellationToken.None));
        Assert.Null(await scope.ServiceProvider.GetRequiredService<CallbackNumbers>().NumberForAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task Withheld_queued_or_no_advisors_calls_were_offered_no_callback_and_get_a_conflict()
    {
        var withheld = NewId();
        await CallAsync(withheld, null, UnansweredReason.Overflow);
        var queued = NewId();
        await CallAsync(queued, NewNumber(), null);
        var noAdvisors = NewId();
        await CallAsync(noAdvisors, NewNumber(), UnansweredReason.NoAdvisors);
        var before = await CountAsync("SELECT count(*) FROM intake.callback_requests");

        foreach (var id in new[] { withheld, queued, noAdvisors })
        {
            var response = await fixture.Client.PostAsJsonAsync($"/api/calls/{id}/callback", new { callbackNumber = NewNumber() });
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var unknown = await fixture.Client.PostAsJsonAsync($"/api/calls/{NewId()}/callback", new { callbackNumber = NewNumber() });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(before, await CountAsync("SELECT count(*) FROM intake.callback_requests"));
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "not E.164", "application/json", "{\"callbackNumber\":\"07700 900456\"}" },
        { "missing number", "application/json", "{}" },
        { "null number", "application/json", "{\"callbackNumber\":null}" },
        { "numeric number", "application/json", "{\"callbackNumber\":447700900456}" },
        { "unknown field", "application/json", "{\"callbackNumber\":\"+447700900456\",\"name\":\"x\"}" },
        { "form body", "application/x-www-form-urlencoded", "callbackNumber=%2B447700900456" },
        { "time in the future", "application/json", "{\"callbackNumber\":\"+447700900456\",\"at\":\"2999-01-01T00:00:00Z\"}" },
        { "oversized", "application/json", $"{{\"callbackNumber\":\"+447700900456{new string(' ', 20_000)}\"}}" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_consent_is_refused_with_problem_details_that_do_not_echo_the_number_and_nothing_is_stored(string why, string contentType, string body)
    {
        var id = NewId();
        var contactId = await CallAsync(id, NewNumber(), UnansweredReason.Overflow);

        using var response = await fixture.Client.PostRawAsync($"/api/calls/{id}/callback", contentType, body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("7700900456", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("7700 900456", problem, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM intake.callback_requests WHERE contact_id = '{contactId}'"));
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND callback_requested_at IS NOT NULL"));
        Assert.Empty(fixture.Intake.Logs.Containing("7700900456"));
    }
}

/// <summary>The callback number's encryption (the shared FieldEncryption, pure logic) and Intake's fail-fast on its key.</summary>
public sealed class CallbackNumberEncryptionTests
{
    private const string Number = "+447700900123";

    private static FieldEncryption Encryption(string key) => new(Options.Create(new FieldEncryptionOptions { Key = key }));

    [Fact]
    public void Number_round_trips_and_the_stored_value_does_not_contain_it()
    {
        var encryption = Encryption(HelplineSettings.FieldEncryptionKey);
        var contactId = Guid.NewGuid();

        var stored = encryption.Encrypt(Number, CallbackRequest.AssociatedData(contactId), FieldPurpose.Shared);
        var again = encryption.Encrypt(Number, CallbackRequest.AssociatedData(contactId), FieldPurpose.Shared);

        Assert.Equal(Number, encryption.Decrypt(stored, CallbackRequest.AssociatedData(contactId)));
        Assert.NotEqual(stored, again);
        Assert.StartsWith("v2:0:", stored, StringComparison.Ordinal);
        var bytes = Convert.FromBase64String(stored["v2:0:".Length..]);
        foreach (var form in new[] { "+447700900123", "447700900123", "7700900123", "900123" })
        {
            Assert.DoesNotContain(form, stored, StringComparison.Ordinal);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(form)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(form)));
        }
    }

    [Fact]
    public void Stored_number_does_not_open_for_another_contact_another_column_another_key_or_after_tampering()
    {
        var encryption = Encryption(HelplineSettings.FieldEncryptionKey);
        var contactId = Guid.NewGuid();
        var stored = encryption.Encrypt(Number, CallbackRequest.AssociatedData(contactId), FieldPurpose.Shared);
        var bytes = Convert.FromBase64String(stored["v2:0:".Length..]);
        bytes[^1] ^= 1;
        var tampered = "v2:0:" + Convert.ToBase64String(bytes);

        Assert.ThrowsAny<CryptographicException>(() => encryption.Decrypt(stored, CallbackRequest.AssociatedData(Guid.NewGuid())));
        Assert.ThrowsAny<CryptographicException>(() => encryption.Decrypt(stored, $"contact_records:{contactId}:callbackNumber"));
        Assert.ThrowsAny<CryptographicException>(() => Encryption(Convert.ToBase64String(new byte[32])).Decrypt(stored, CallbackRequest.AssociatedData(contactId)));
        Assert.ThrowsAny<CryptographicException>(() => encryption.Decrypt(tampered, CallbackRequest.AssociatedData(contactId)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQta2V5")]
    [InlineData("Y2FsbGJhY2stbnVtYmVyLWtleS1mb3ItdGVzdHMtMzItYnl0ZXMtYW5kLW1vcmU=")]
    public void A_key_that_is_not_exactly_32_bytes_of_base64_is_refused(string key)
    {
        Assert.Null(FieldEncryption.ParseKey(key));
        Assert.Throws<InvalidOperationException>(() => Encryption(key));
    }

    [Theory]
    [InlineData(true, "c2hvcnQta2V5")]
    [InlineData(false, "c2hvcnQta2V5")]
    [InlineData(true, null)]
    [InlineData(false, null)]
    public async Task Intake_without_a_valid_field_encryption_key_does_not_start_whether_or_not_callbacks_are_enabled(bool callbacksEnabled, string? key)
    {
        await using var virtualHost = await TestVirtualHost.CreateAsync();
        var settings = HelplineSettings.AlwaysOpenFor(TestDatabase.Create("intake_nokey"), virtualHost);
        settings["Callbacks:Enabled"] = callbacksEnabled ? "true" : "false";
        settings["FieldEncryption:Key"] = key;
        await using var host = new IntakeHost(settings, TimeProvider.System);

        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        var validation = Assert.IsType<OptionsValidationException>(failure is OptionsValidationException ? failure : failure.InnerException ?? failure);
        Assert.Equal(typeof(FieldEncryptionOptions), validation.OptionsType);
        Assert.Contains("FieldEncryption:Key", validation.Message, StringComparison.Ordinal);
    }
}
