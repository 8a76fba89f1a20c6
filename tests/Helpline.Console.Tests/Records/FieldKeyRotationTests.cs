using System.Security.Cryptography;
using Helpline.Console.Data;
using Helpline.Console.Email;
using Helpline.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.Console.Tests.Records;

/// <summary>
/// <c>rotate-field-keys</c> on Console's schema against real PostgreSQL: every listed column exists and is
/// walked (the SQL runs on each), and records values (reply drafts, a two-column key) move from the
/// shared key to the records key in batches.
/// </summary>
public sealed class FieldKeyRotationTests : IAsyncLifetime
{
    private readonly TestDatabase _database = TestDatabase.Create("console_rot");

    public Task InitializeAsync() => _database.MigrateAsync<ConsoleDbContext>(ConsoleDbContext.Schema, options => new ConsoleDbContext(options));

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private ConsoleDbContext Context()
    {
        var options = new DbContextOptionsBuilder<ConsoleDbContext>();
        options.UseHelplinePostgres(_database.ConnectionString, ConsoleDbContext.Schema);
        return new ConsoleDbContext(options.Options);
    }

    [Fact]
    public async Task Records_values_move_to_the_records_key_and_a_second_run_finds_nothing()
    {
        var keyA = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var before = new FieldEncryption(Options.Create(new FieldEncryptionOptions { Key = keyA }));
        var after = new FieldEncryption(Options.Create(new FieldEncryptionOptions
        {
            Key = keyA,
            Keys = new() { ["r2"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
            RecordsKey = "r2",
        }));
        var drafts = Enumerable.Range(0, 12).Select(i => (Contact: Guid.NewGuid(), Advisor: Guid.NewGuid(), Body: $"draft {i}")).ToList();
        await using (var connection = new NpgsqlConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var (contact, advisor, body) in drafts)
            {
                await using var insert = new NpgsqlCommand("INSERT INTO console.reply_drafts (contact_id, advisor_id, encrypted_body, updated_at) VALUES (@c, @a, @b, now())", connection);
                insert.Parameters.AddWithValue("c", contact);
                insert.Parameters.AddWithValue("a", advisor);
                insert.Parameters.AddWithValue("b", before.Encrypt(body, ReplyDraft.AssociatedData(contact, advisor), FieldPurpose.Records));
                await insert.ExecuteNonQueryAsync();
            }
        }

        Assert.Equal(12, await _database.CountAsync("SELECT count(*) FROM console.reply_drafts WHERE encrypted_body LIKE 'v2:0:%'"));

        await using (var db = Context())
        {
            var first = await new FieldKeyRotation(after).RunAsync(db, ConsoleDbContext.Schema, EncryptedColumns.All, batchSize: 5, CancellationToken.None);
            Assert.Equal(EncryptedColumns.All.Count, first.Count);
            Assert.Equal(12, first.Single(r => r.Column == "reply_drafts.encrypted_body").Reencrypted);
            Assert.Equal(12, first.Sum(r => r.Reencrypted));
        }

        Assert.Equal(0, await _database.CountAsync("SELECT count(*) FROM console.reply_drafts WHERE encrypted_body NOT LIKE 'v2:r2:%'"));
        await using (var db = Context())
        {
            foreach (var (contact, advisor, body) in drafts)
            {
                var stored = await db.Set<ReplyDraft>().AsNoTracking().SingleAsync(d => d.ContactId == contact && d.AdvisorId == advisor);
                Assert.Equal(body, after.Decrypt(stored.EncryptedBody, ReplyDraft.AssociatedData(contact, advisor)));
            }

            Assert.Equal(0, (await new FieldKeyRotation(after).RunAsync(db, ConsoleDbContext.Schema, EncryptedColumns.All, FieldKeyRotation.DefaultBatchSize, CancellationToken.None)).Sum(r => r.Reencrypted));
        }
    }

    [Fact]
    public async Task Every_encrypted_column_of_the_schema_is_in_the_rotation()
    {
        var inSchema = new List<string>();
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'console' AND column_name LIKE 'encrypted\\_%'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            inSchema.Add(reader.GetString(0));
        }

        Assert.Equal(inSchema.Order(StringComparer.Ordinal), EncryptedColumns.All.Select(c => c.Name).Order(StringComparer.Ordinal));
    }
}
