using Helpline.Intake.Callbacks;
using Helpline.Intake.Data;
using Helpline.Intake.Retention;
using Helpline.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Helpline.Intake.Tests.Retention;

/// <summary>Intake's retention job on real PostgreSQL: old callback numbers, mail and sent outbox rows erased, recent ones and what Intake answers from them untouched.</summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>What Intake answers from the rows the job touches: calls and their callback consent, conversations, each message's keys, size and times.</summary>
    private const string Answers = """
        SELECT string_agg(x, '|' ORDER BY x) FROM (
          SELECT concat_ws(',', id, state, caller_key, callback_requested_at, ended_at) AS x FROM intake.inbound_calls
          UNION ALL SELECT concat_ws(',', id, token, sender_key, last_message_at) FROM intake.email_conversations
          UNION ALL SELECT concat_ws(',', id, conversation_id, message_key, sender_key, size, received_at, stored_at) FROM intake.email_messages
          UNION ALL SELECT concat_ws(',', id, state, sent_at, requested_at) FROM intake.outbound_emails) t
        """;

    private static readonly FieldEncryption Encryption = new(Options.Create(new FieldEncryptionOptions { Key = HelplineSettings.FieldEncryptionKey }));

    private readonly TestDatabase _database = TestDatabase.Create("intake_ret");

    public Task InitializeAsync() => _database.MigrateAsync<IntakeDbContext>(IntakeDbContext.Schema, options => new IntakeDbContext(options));

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private IntakeDbContext NewContext()
    {
        var builder = new DbContextOptionsBuilder<IntakeDbContext>();
        builder.UseHelplinePostgres(_database.ConnectionString, IntakeDbContext.Schema);
        return new IntakeDbContext(builder.Options);
    }

    private async Task<IReadOnlyDictionary<string, long>> RunAsync(RetentionOptions options)
    {
        await using var db = NewContext();
        return await new RetentionJob(db, Options.Create(options), new FakeTimeProvider(Now)).RunAsync(CancellationToken.None);
    }

    private async Task<string?> NumberForAsync(Guid contactId)
    {
        await using var db = NewContext();
        return await new CallbackNumbers(db, Encryption).NumberForAsync(contactId, CancellationToken.None);
    }

    /// <summary>A year of days, one every 10 days back from <see cref="Now"/>: a call with a callback consent, an inbound email with an attachment, a sent reply and a sent outbox row.</summary>
    private async Task<List<(Guid Call, DateTimeOffset At)>> SeedAsync()
    {
        var calls = new List<(Guid, DateTimeOffset)>();
        for (var day = 5; day <= 365; day += 10)
        {
            var at = Now.AddDays(-day);
            var call = Guid.NewGuid();
            var conversation = Guid.NewGuid();
            var email = Guid.NewGuid();
            var number = Encryption.Encrypt($"+4477009{day:D5}", CallbackRequest.AssociatedData(call), FieldPurpose.Shared);
            await _database.ExecuteAsync($"""
                INSERT INTO intake.inbound_calls (id, provider, provider_call_id, caller_key, dialled_number, received_at, stored_at, state, short_abandon, callback_requested_at, ended_at)
                VALUES ('{call}', 'api', 'pbx-{call:N}', 'key-{day % 3}', '+448088020300', '{at:O}', '{at:O}', 'Overflow', false, '{at.AddMinutes(1):O}', '{at.AddMinutes(1):O}');
                INSERT INTO intake.callback_requests (contact_id, encrypted_number, requested_at) VALUES ('{call}', '{number}', '{at.AddMinutes(1):O}');
                INSERT INTO intake.email_conversations (id, token, sender_key, created_at, last_message_at) VALUES ('{conversation}', 'T{day:D9}', 'sender-{day % 2}', '{at:O}', '{at:O}');
                INSERT INTO intake.email_messages (id, conversation_id, direction, message_key, sender_key, encrypted_from, encrypted_subject, encrypted_text, encrypted_html,
                                                   encrypted_message_id, encrypted_references, size, received_at, stored_at)
                VALUES ('{email}', '{conversation}', 'Inbound', 'm:{email:N}', 'sender-{day % 2}', 'v1:from', 'v1:subject', 'v1:text', 'v1:html', 'v1:id', 'v1:refs', 1234, '{at:O}', '{at:O}');
                INSERT INTO intake.email_attachments (id, email_id, encrypted_file_name, content_type, size, encrypted_content)
                VALUES ('{Guid.NewGuid()}', '{email}', 'v1:name', 'application/pdf', 100, 'v1:content');
                INSERT INTO intake.outbound_emails (id, purpose, contact_id, encrypted_subject, encrypted_body, message_id, state, attempts, next_attempt_at, requested_at, sent_at)
                VALUES ('{Guid.NewGuid()}', 'Reply', '{conversation}', 'v1:re', 'v1:body', '<{email:N}@helpline.test>', 'Sent', 1, '{at:O}', '{at:O}', '{at.AddMinutes(1):O}');
                INSERT INTO intake.outbox_messages (message_id, message_type, payload, created_at, sent_at, attempts)
                VALUES ('{Guid.NewGuid()}', 'EmailReceived', '[]', '{at:O}', '{at.AddSeconds(1):O}', 1);
                """);
            calls.Add((call, at));
        }

        return calls;
    }

    [Fact]
    public async Task Old_personal_data_is_erased_recent_data_and_what_Intake_answers_are_untouched_and_a_second_run_changes_nothing()
    {
        var calls = await SeedAsync();
        var options = new RetentionOptions { CallbackNumbers = TimeSpan.FromDays(30), EmailBodies = TimeSpan.FromDays(90), SentOutbox = TimeSpan.FromDays(7), BatchSize = 4 };
        var before = await _database.TextAsync(Answers);

        var first = await RunAsync(options);
        var second = await RunAsync(options);

        Assert.Equal(34, first["callback_requests"]);
        Assert.Equal(28, first["email_messages"]);
        Assert.Equal(28, first["email_attachments"]);
        Assert.Equal(28, first["outbound_emails"]);
        Assert.Equal(36, first["outbox"]);
        Assert.All(second, kind => Assert.Equal(0, kind.Value));
        Assert.Equal(before, await _database.TextAsync(Answers));

        foreach (var (call, at) in calls)
        {
            var number = await NumberForAsync(call);
            Assert.Equal(at > Now.AddDays(-30) ? $"+4477009{(Now - at).Days:D5}" : null, number);
        }

        Assert.Equal(28, await _database.CountAsync("""
            SELECT count(*) FROM intake.email_messages WHERE encrypted_from IS NULL AND encrypted_subject IS NULL AND encrypted_text IS NULL AND encrypted_html IS NULL
              AND encrypted_message_id IS NULL AND encrypted_references IS NULL AND stored_at < timestamptz '2026-09-02 12:00:00+00'
            """));
        Assert.Equal(9, await _database.CountAsync("SELECT count(*) FROM intake.email_messages WHERE encrypted_text = 'v1:text' AND encrypted_from = 'v1:from' AND encrypted_message_id = 'v1:id'"));
        Assert.Equal(9, await _database.CountAsync("SELECT count(*) FROM intake.email_attachments WHERE encrypted_content = 'v1:content'"));
        Assert.Equal(9, await _database.CountAsync("SELECT count(*) FROM intake.outbound_emails WHERE encrypted_body = 'v1:body'"));
        Assert.Equal(28, await _database.CountAsync("SELECT count(*) FROM intake.outbound_emails WHERE encrypted_body = '' AND encrypted_subject = ''"));
        Assert.Equal(3, await _database.CountAsync("SELECT count(*) FROM intake.callback_requests"));
        Assert.Equal(37, await _database.CountAsync("SELECT count(*) FROM intake.inbound_calls WHERE callback_requested_at IS NOT NULL"));
        Assert.Equal(1, await _database.CountAsync("SELECT count(*) FROM intake.outbox_messages"));
    }

    [Fact]
    public async Task Mail_is_kept_while_an_outbox_row_from_before_the_cutoff_has_not_reached_Console()
    {
        await SeedAsync();
        await _database.ExecuteAsync($"""
            INSERT INTO intake.outbox_messages (message_id, message_type, payload, created_at, attempts)
            VALUES ('{Guid.NewGuid()}', 'EmailReceived', '[]', '{Now.AddDays(-200):O}', 3)
            """);
        var options = new RetentionOptions { EmailBodies = TimeSpan.FromDays(90), BatchSize = 10 };

        var blocked = await RunAsync(options);
        await _database.ExecuteAsync($"UPDATE intake.outbox_messages SET sent_at = '{Now.AddDays(-1):O}' WHERE sent_at IS NULL");
        var released = await RunAsync(options);

        Assert.Equal(0, blocked["email_messages"]);
        Assert.Equal(0, blocked["email_attachments"]);
        Assert.Equal(28, released["email_messages"]);
        Assert.Equal(28, released["email_attachments"]);
    }
}
