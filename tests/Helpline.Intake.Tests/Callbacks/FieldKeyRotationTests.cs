using System.Collections.Concurrent;
using System.Security.Cryptography;
using Helpline.Intake.Callbacks;
using Helpline.Intake.Data;
using Helpline.Intake.Tests.Telephony;
using Helpline.ServiceDefaults.Security;

namespace Helpline.Intake.Tests.Callbacks;

/// <summary>
/// <c>rotate-field-keys</c> on Intake's schema against real PostgreSQL and RabbitMQ: callback numbers
/// written under key A, Intake restarted with key B active, calls and consents posted all the while the
/// rotation runs in small batches.
/// </summary>
public sealed class FieldKeyRotationTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly string KeyB = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private readonly TestDatabase _database = TestDatabase.Create("intake_rot");
    private TestVirtualHost _virtualHost = null!;

    public async Task InitializeAsync()
    {
        _virtualHost = await TestVirtualHost.CreateAsync();
        await _database.MigrateAsync<IntakeDbContext>(IntakeDbContext.Schema, options => new IntakeDbContext(options));
    }

    public async Task DisposeAsync()
    {
        await _virtualHost.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Dictionary<string, string?> Settings(bool withKeyB)
    {
        var settings = HelplineSettings.AlwaysOpenFor(_database, _virtualHost);
        settings["Callbacks:Enabled"] = "true";
        if (withKeyB)
        {
            // Key A stays in the ring (as FieldEncryption:Key, id 0) to read what it wrote; B encrypts what is new.
            settings["FieldEncryption:Keys:b"] = KeyB;
            settings["FieldEncryption:ActiveKey"] = "b";
        }

        return settings;
    }

    /// <summary>A call turned away (overflow) and the caller's consent to a callback on <paramref name="number"/>.</summary>
    private async Task<Guid> ConsentAsync(IntakeHost intake, HttpClient client, string number)
    {
        var id = $"pbx-{Guid.NewGuid():N}";
        var call = await client.PostAsJsonAsync("/api/calls", new { providerCallId = id, callerNumber = number, dialledNumber = "+448088020300" });
        Assert.Equal(HttpStatusCode.Accepted, call.StatusCode);
        var contactId = (await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetGuid();
        await intake.Services.GetRequiredService<IBus>().Publish(new TurnAwayCall { ContactId = contactId, Reason = UnansweredReason.Overflow });
        await Eventually.WaitAsync(
            () => _database.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Overflow'"),
            count => count == 1, Timeout, "the call turned away");
        var consent = await client.PostAsJsonAsync($"/api/calls/{id}/callback", new { callbackNumber = number });
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        return contactId;
    }

    private static string NewNumber() => $"+4477009{Random.Shared.Next(10000, 99999)}";

    [Fact]
    public async Task Rotation_moves_every_value_to_the_active_key_while_calls_keep_coming_and_a_second_run_finds_nothing()
    {
        var numbers = new ConcurrentDictionary<Guid, string>();
        string key;
        await using (var before = new IntakeHost(Settings(withKeyB: false), TimeProvider.System))
        {
            key = await before.CreateIntegrationKeyAsync();
            using var client = before.CreateClient().SendingKey(key);
            await Task.WhenAll(Enumerable.Range(0, 24).Select(async _ =>
            {
                var number = NewNumber();
                numbers[await ConsentAsync(before, client, number)] = number;
            }));
        }

        Assert.Equal(24, await _database.CountAsync("SELECT count(*) FROM intake.callback_requests WHERE encrypted_number LIKE 'v2:0:%'"));

        await using var intake = new IntakeHost(Settings(withKeyB: true), TimeProvider.System);
        using var during = intake.CreateClient().SendingKey(key);
        using var stop = new CancellationTokenSource();
        var posted = 0;
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var number = NewNumber();
                numbers[await ConsentAsync(intake, during, number)] = number;
                Interlocked.Increment(ref posted);
            }
        });

        await Eventually.WaitAsync(() => Task.FromResult(Volatile.Read(ref posted)), count => count >= 2, Timeout, "calls flowing under key B");
        IReadOnlyList<RotatedColumn> first;
        await using (var scope = intake.Services.CreateAsyncScope())
        {
            var rotation = new FieldKeyRotation(scope.ServiceProvider.GetRequiredService<FieldEncryption>());
            first = await rotation.RunAsync(scope.ServiceProvider.GetRequiredService<IntakeDbContext>(), IntakeDbContext.Schema, EncryptedColumns.All, batchSize: 5, CancellationToken.None);
        }

        await Eventually.WaitAsync(() => Task.FromResult(Volatile.Read(ref posted)), count => count >= 6, Timeout, "calls still flowing after the rotation");
        await stop.CancelAsync();
        await traffic;

        Assert.Equal(24, first.Single(r => r.Column == "callback_requests.encrypted_number").Reencrypted);
        Assert.All(first.Where(r => r.Column != "callback_requests.encrypted_number"), r => Assert.Equal(0, r.Reencrypted));
        Assert.Equal(0, await _database.CountAsync("SELECT count(*) FROM intake.callback_requests WHERE encrypted_number NOT LIKE 'v2:b:%'"));
        Assert.Equal(numbers.Count, await _database.CountAsync("SELECT count(*) FROM intake.callback_requests"));
        Assert.Equal(numbers.Count, await _database.CountAsync("SELECT count(*) FROM intake.inbound_calls"));
        await using (var scope = intake.Services.CreateAsyncScope())
        {
            var reader = scope.ServiceProvider.GetRequiredService<CallbackNumbers>();
            foreach (var (contactId, number) in numbers)
            {
                Assert.Equal(number, await reader.NumberForAsync(contactId, CancellationToken.None));
            }
        }

        // The command, as an operator runs it: nothing left under key A.
        using var output = new StringWriter();
        Assert.True(await FieldKeyRotationCommand.RunAsync<IntakeDbContext>(intake.Services, ["rotate-field-keys"], IntakeDbContext.Schema, EncryptedColumns.All, output));
        Assert.Contains("callback_requests.encrypted_number\t0 re-encrypted", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("total\t0 re-encrypted", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_encrypted_column_of_the_schema_is_in_the_rotation()
    {
        var listed = EncryptedColumns.All.Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        var inSchema = new List<string>();
        await using var connection = new Npgsql.NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'intake' AND column_name LIKE 'encrypted\\_%' ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            inSchema.Add(reader.GetString(0));
        }

        Assert.Equal(inSchema.Order(StringComparer.Ordinal), listed);
    }
}
