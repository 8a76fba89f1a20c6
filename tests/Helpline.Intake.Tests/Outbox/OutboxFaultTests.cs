using System.Globalization;
using Helpline.Intake.Data;
using Helpline.ServiceDefaults.Faults;
using Npgsql;

namespace Helpline.Intake.Tests.Outbox;

/// <summary>The outbox against rows it cannot publish, and against replicas draining it side by side (real PostgreSQL and RabbitMQ).</summary>
public sealed class OutboxFaultTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly string HungUpType = $"{typeof(CallerHungUp).FullName}, {typeof(CallerHungUp).Assembly.GetName().Name}";

    [Fact]
    public async Task A_row_whose_type_no_longer_resolves_is_retried_then_dead_lettered_holding_back_only_its_own_contact_and_is_replayed_once_fixed()
    {
        await using var database = TestDatabase.Create("outbox_dead");
        await using var vhost = await TestVirtualHost.CreateAsync();
        await database.MigrateAsync<IntakeDbContext>(IntakeDbContext.Schema, options => new IntakeDbContext(options));
        await using var probe = await MessageProbe.CreateAsync(vhost.ConnectionString, typeof(CallerHungUp));
        var (poisoned, other) = (Guid.NewGuid(), Guid.NewGuid());
        var at = DateTimeOffset.UtcNow;
        await InsertAsync(database, "Helpline.Contracts.CallerWentAway, Helpline.Contracts", poisoned, at);
        await InsertAsync(database, HungUpType, poisoned, at.AddSeconds(1));
        await InsertAsync(database, HungUpType, other, at.AddSeconds(2));

        var settings = HelplineSettings.For(database, vhost);
        settings["Outbox:MaxAttempts"] = "3";
        settings["DeadLetters:PollInterval"] = "00:00:00.500";
        await using var intake = new ServiceHost<IntakeDbContext>(settings).Start();
        using var client = intake.CreateHttpClient();

        await Eventually.WaitAsync(() => Task.FromResult(probe.CountWhere("contactId", other.ToString())), count => count == 1, Timeout, "the other contact's message published past the poisoned row");
        Assert.Equal(0, probe.CountWhere("contactId", poisoned.ToString()));
        Assert.Equal(0, await database.CountAsync("SELECT count(*) FROM intake.outbox_dead_letters"));

        await Eventually.WaitAsync(
            () => database.CountAsync("SELECT count(*) FROM intake.outbox_dead_letters WHERE attempts = 3 AND reason = 'The message type Helpline.Contracts.CallerWentAway, Helpline.Contracts does not resolve.'"),
            count => count == 1, Timeout, "the poisoned row dead-lettered after three attempts");
        await Eventually.WaitAsync(() => Task.FromResult(probe.CountWhere("contactId", poisoned.ToString())), count => count == 1, Timeout, "the poisoned contact's next message published once the row is out of the way");
        // The broker can deliver a message before the publisher's commit marks its row sent.
        await Eventually.WaitAsync(
            () => database.CountAsync("SELECT count(*) FROM intake.outbox_messages WHERE sent_at IS NULL"),
            count => count == 0, Timeout, "every outbox row marked sent");
        await Eventually.WaitAsync(
            async () => (await client.GetFromJsonAsync<JsonElement>("/health/ready")).GetProperty("checks").GetProperty("dead-letters").GetString(),
            status => status == "Degraded", Timeout, "health degraded by the dead letter");
        Assert.Contains("helpline_outbox_dead_lettered_total", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);

        // The cause fixed (here by hand: the type it should have named), then replayed.
        await ExecuteAsync(database, $"UPDATE intake.outbox_dead_letters SET message_type = '{HungUpType}'");
        var output = new StringWriter();
        await DeadLetterCommands.RunAsync(intake.Services, ["replay"], output);
        Assert.Equal("1 message(s) replayed", output.ToString().Trim());
        await Eventually.WaitAsync(() => Task.FromResult(probe.CountWhere("contactId", poisoned.ToString())), count => count == 2, Timeout, "the replayed message published");
        Assert.Equal(0, await database.CountAsync("SELECT count(*) FROM intake.outbox_dead_letters"));
    }

    [Fact]
    public async Task Two_replicas_draining_one_outbox_keep_every_contact_s_messages_in_order()
    {
        await using var database = TestDatabase.Create("outbox_order");
        await using var vhost = await TestVirtualHost.CreateAsync();
        await database.MigrateAsync<IntakeDbContext>(IntakeDbContext.Schema, options => new IntakeDbContext(options));
        await using var probe = await MessageProbe.CreateAsync(vhost.ConnectionString, typeof(CallerHungUp));
        var settings = HelplineSettings.For(database, vhost);
        settings["Outbox:BatchSize"] = "2";
        settings["Outbox:PollInterval"] = "00:00:00.050";
        await using var first = new ServiceHost<IntakeDbContext>(settings).Start();
        await using var second = new ServiceHost<IntakeDbContext>(settings).Start();

        var contacts = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        var start = DateTimeOffset.UtcNow;
        const int PerContact = 60;
        var values = new StringBuilder();
        for (var i = 0; i < PerContact; i++)
        {
            foreach (var contact in contacts)
            {
                var payload = JsonSerializer.Serialize(new CallerHungUp { ContactId = contact, At = start.AddSeconds(i) }, Web);
                values.Append(CultureInfo.InvariantCulture, $"{(values.Length == 0 ? "" : ",")}('{Guid.NewGuid()}', '{HungUpType}', '{payload}', now(), '{contact}')");
            }
        }

        // One commit: both replicas find the whole backlog at once.
        await ExecuteAsync(database, $"INSERT INTO intake.outbox_messages (message_id, message_type, payload, created_at, contact_id) VALUES {values}");

        await Eventually.WaitAsync(() => Task.FromResult(probe.Messages.Count), count => count >= contacts.Count * PerContact, Timeout, "every row published");
        foreach (var contact in contacts)
        {
            var order = probe.Messages
                .Where(m => m.GetProperty("contactId").GetGuid() == contact)
                .Select(m => m.GetProperty("at").GetDateTimeOffset())
                .ToList();
            Assert.Equal(order.Order(), order);
        }
    }

    private static Task InsertAsync(TestDatabase database, string type, Guid contactId, DateTimeOffset at) =>
        ExecuteAsync(
            database,
            $"INSERT INTO intake.outbox_messages (message_id, message_type, payload, created_at, contact_id) VALUES ('{Guid.NewGuid()}', '{type}', '{{\"contactId\":\"{contactId}\",\"at\":\"{at:O}\"}}', now(), '{contactId}')");

    private static async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
