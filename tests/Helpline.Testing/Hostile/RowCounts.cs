using Npgsql;

namespace Helpline.Testing.Hostile;

/// <summary>
/// The row counts of the tables a request may write (contacts, records, directory, referrals, templates,
/// accounts, keys, calls, mail), read in PostgreSQL as one text to compare before and after a request. Not
/// the audit trail (reads are audited) nor presence, journals and outboxes (written by the services' own loops).
/// </summary>
/// <param name="sources">Each schema with a connection string that may read it (one for both, or each service's own role).</param>
public sealed class RowCounts(IReadOnlyList<(string ConnectionString, string Schema)> sources)
{
    private static readonly string[] WrittenTables =
    [
        "contacts", "contact_events", "contact_records", "contact_facts", "contact_matches", "closures", "special_closures",
        "directory_services", "directory_changes", "commissioning_bodies", "force_areas", "referrals", "referral_consents", "referral_events",
        "reply_templates", "reply_drafts", "outbound_emails", "users", "user_roles", "user_claims", "user_tokens",
        "inbound_calls", "callback_requests", "integration_keys", "email_conversations", "email_messages", "email_attachments", "quarantined_emails",
    ];

    private string[]? _sql;

    public async Task<string> ReadAsync()
    {
        _sql ??= await Task.WhenAll(sources.Select(source => CountSqlAsync(source.ConnectionString, source.Schema)));
        var counts = new List<string>();
        for (var i = 0; i < sources.Count; i++)
        {
            counts.Add(await ScalarAsync(sources[i].ConnectionString, _sql[i]) ?? "");
        }

        return string.Join(";", counts);
    }

    private static async Task<string> CountSqlAsync(string connectionString, string schema)
    {
        var names = string.Join(",", WrittenTables.Select(t => $"'{t}'"));
        var tables = await ScalarAsync(connectionString,
            $"SELECT string_agg(format('(SELECT count(*) FROM %I.%I)', table_schema, table_name), ' || '','' || ' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = '{schema}' AND table_name IN ({names})");
        return "SELECT " + tables;
    }

    private static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
