using Npgsql;

namespace Helpline.Console.Tests.Audit;

/// <summary>
/// The audit trail as a hash chain over real PostgreSQL: entries are sealed in order, the table refuses
/// updates and deletes, a row changed or removed behind the application's back is found by the check,
/// and admins (only) query and export it, each of those audited.
/// </summary>
public sealed class AuditChainTests
{
    private static readonly TimeSpan Timeout = ConsoleRig.Timeout;

    private static readonly Dictionary<string, string?> FastSealing = new() { ["Audit:SealInterval"] = "00:00:00.200" };

    private static async Task<HttpClient> ClientAsync(ConsoleRig rig, string name, string role) =>
        await TestAccounts.ClientAsync(rig.Console.Address, await TestAccounts.EnsureUserAsync(rig.Console.Address, name, role));

    private static async Task<HttpClient> AdminAsync(ConsoleRig rig) =>
        await TestAccounts.ClientAsync(rig.Console.Address, await TestAccounts.LoginAsync(rig.Console.Address, TestAccounts.AdminUserName));

    /// <summary>Waits until every entry written so far is sealed, and returns the check.</summary>
    private static async Task<JsonElement> SealedAsync(HttpClient admin, ConsoleRig rig)
    {
        await Eventually.WaitAsync(() => rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE hash IS NULL"), n => n == 0, Timeout, "every audit entry sealed");
        return await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit/verify");
    }

    [Fact]
    public async Task Entries_are_sealed_in_one_unbroken_chain_and_each_check_is_itself_audited()
    {
        await using var rig = await ConsoleRig.StartAsync(FastSealing);
        using var admin = await AdminAsync(rig);
        using var supervisor = await ClientAsync(rig, "sam", "Supervisor");
        var starts = DateTimeOffset.UtcNow.Date.AddDays(3).AddHours(12);
        for (var i = 0; i < 3; i++)
        {
            (await supervisor.PostAsJsonAsync("/api/closures", new { startsAt = new DateTimeOffset(starts.AddDays(i), TimeSpan.Zero), endsAt = new DateTimeOffset(starts.AddDays(i).AddHours(1), TimeSpan.Zero), reason = "Training" })).EnsureSuccessStatusCode();
        }

        var check = await SealedAsync(admin, rig);

        Assert.True(check.GetProperty("intact").GetBoolean(), check.GetRawText());
        // Everything but the check's own entry, written after it.
        var total = await rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE action <> 'audit.verified'");
        Assert.Equal(total, check.GetProperty("sealed").GetInt64());
        Assert.Equal(total, check.GetProperty("headSequence").GetInt64());
        Assert.Equal(64, check.GetProperty("headHash").GetString()!.Length);
        // Sequences run 1..n with no gap, each entry pointing at the one before it.
        await SealedAsync(admin, rig);
        Assert.Equal(total + 1, await rig.Database.CountAsync("SELECT count(DISTINCT sequence) FROM console.audit_entries WHERE sequence BETWEEN 1 AND (SELECT count(*) FROM console.audit_entries)"));
        Assert.Equal(0, await rig.Database.CountAsync(
            "SELECT count(*) FROM console.audit_entries e JOIN console.audit_entries p ON p.sequence = e.sequence - 1 WHERE e.previous_hash <> p.hash"));
        Assert.Equal(2, await rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE action = 'audit.verified' AND actor_id IS NOT NULL"));
    }

    [Fact]
    public async Task The_table_refuses_updates_and_deletes_and_a_row_changed_or_removed_behind_its_back_breaks_the_chain()
    {
        await using var rig = await ConsoleRig.StartAsync(FastSealing);
        using var admin = await AdminAsync(rig);
        using var supervisor = await ClientAsync(rig, "sam", "Supervisor");
        (await supervisor.PostAsJsonAsync("/api/closures", new { startsAt = DateTimeOffset.UtcNow.AddDays(3), endsAt = DateTimeOffset.UtcNow.AddDays(3).AddHours(1), reason = "Training" })).EnsureSuccessStatusCode();
        Assert.True((await SealedAsync(admin, rig)).GetProperty("intact").GetBoolean());
        var target = await rig.Database.CountAsync("SELECT sequence FROM console.audit_entries WHERE action = 'SpecialClosureAdded'");

        var update = await Assert.ThrowsAsync<PostgresException>(() => rig.Database.ExecuteAsync($"UPDATE console.audit_entries SET detail = 'nothing happened' WHERE sequence = {target}"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => rig.Database.ExecuteAsync($"DELETE FROM console.audit_entries WHERE sequence = {target}"));
        var truncate = await Assert.ThrowsAsync<PostgresException>(() => rig.Database.ExecuteAsync("TRUNCATE console.audit_entries"));
        Assert.All(new[] { update, delete, truncate }, e => Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState));

        // A superuser with triggers switched off rewrites the entry: the check names it.
        await rig.Database.ExecuteAsync($"SET session_replication_role = replica; UPDATE console.audit_entries SET action = 'SpecialClosureViewed' WHERE sequence = {target}");
        var changed = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit/verify");
        Assert.False(changed.GetProperty("intact").GetBoolean());
        Assert.Equal(target, changed.GetProperty("brokenAt").GetInt64());
        Assert.Contains("changed", changed.GetProperty("problem").GetString(), StringComparison.Ordinal);

        // Put back, the chain is whole again; then the entry removed: the gap is named.
        await rig.Database.ExecuteAsync($"SET session_replication_role = replica; UPDATE console.audit_entries SET action = 'SpecialClosureAdded' WHERE sequence = {target}");
        Assert.True((await SealedAsync(admin, rig)).GetProperty("intact").GetBoolean());
        await rig.Database.ExecuteAsync($"SET session_replication_role = replica; DELETE FROM console.audit_entries WHERE sequence = {target}");
        var removed = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit/verify");
        Assert.False(removed.GetProperty("intact").GetBoolean());
        Assert.Equal(target, removed.GetProperty("brokenAt").GetInt64());
        Assert.Contains("missing", removed.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admins_query_and_export_the_trail_with_filters_each_read_audited_and_nobody_else_may()
    {
        await using var rig = await ConsoleRig.StartAsync(FastSealing);
        using var admin = await AdminAsync(rig);
        using var supervisor = await ClientAsync(rig, "sam", "Supervisor");
        using var advisor = await ClientAsync(rig, "alice", "Advisor");
        using var anonymous = rig.Console.CreateHttpClient();
        for (var i = 0; i < 3; i++)
        {
            (await supervisor.PostAsJsonAsync("/api/closures", new { startsAt = DateTimeOffset.UtcNow.AddDays(3 + i), endsAt = DateTimeOffset.UtcNow.AddDays(3 + i).AddHours(1), reason = "Training" })).EnsureSuccessStatusCode();
        }

        await SealedAsync(admin, rig);

        var first = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit?action=SpecialClosureAdded&limit=2");
        var entries = first.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("sam", e.GetProperty("actorUserName").GetString()));
        Assert.True(entries[0].GetProperty("id").GetInt64() > entries[1].GetProperty("id").GetInt64());
        var before = first.GetProperty("before").GetInt64();
        var second = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/audit?action=SpecialClosureAdded&limit=2&before={before}");
        Assert.Single(second.GetProperty("entries").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("before").ValueKind);

        var csv = await admin.GetAsync("/api/admin/audit/export?action=SpecialClosureAdded&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,sequence,at,actor_id,actor_user_name,action", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
        var json = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit/export?format=json");
        Assert.Contains(json.EnumerateArray(), e => e.GetProperty("action").GetString() == "audit.queried");

        Assert.Equal(2, await rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE action = 'audit.queried'"));
        Assert.Equal(2, await rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE action = 'audit.exported'"));

        foreach (var bad in new[] { "/api/admin/audit?limit=0", "/api/admin/audit?limit=501", $"/api/admin/audit?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}", "/api/admin/audit/export?format=xml" })
        {
            var refused = await admin.GetAsync(bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        var written = await rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE action LIKE 'audit.%'");
        foreach (var (client, status) in new[] { (anonymous, HttpStatusCode.Unauthorized), (advisor, HttpStatusCode.Forbidden), (supervisor, HttpStatusCode.Forbidden) })
        {
            foreach (var path in new[] { "/api/admin/audit", "/api/admin/audit/export", "/api/admin/audit/verify" })
            {
                Assert.Equal(status, (await client.GetAsync(path)).StatusCode);
            }
        }

        Assert.Equal(written, await rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE action LIKE 'audit.%'"));
    }
}
