using Npgsql;

namespace Helpline.FaultCampaign;

/// <summary>What the campaign found from outside once the traffic stopped and the system drained.</summary>
public sealed record Reconciliation(
    int Accepted,
    int MissingInConsole,
    int MissingInIntake,
    int Unfinished,
    int StoredTwice,
    int EndedTwice,
    int HeldTwice,
    int OfferedTwiceAtOnce,
    IReadOnlyDictionary<string, long> ErrorQueues,
    long IntakeOutboxDeadLetters,
    long ConsoleOutboxDeadLetters,
    IReadOnlyList<string> Unhealthy)
{
    /// <summary>Calls that got a 2xx and did not reach their end in both services.</summary>
    public int Lost => MissingInConsole + MissingInIntake + Unfinished;

    /// <summary>Calls stored, ended, held or offered more than once at a time.</summary>
    public int Doubled => StoredTwice + EndedTwice + HeldTwice + OfferedTwiceAtOnce;

    public bool Clean => Lost == 0 && Doubled == 0 && ErrorQueues.Values.Sum() == 0 && IntakeOutboxDeadLetters == 0 && ConsoleOutboxDeadLetters == 0 && Unhealthy.Count == 0;
}

/// <summary>Reads both services' databases and the broker from outside and reconciles them with what the provider was told.</summary>
internal static class Reconciler
{
    private static readonly string[] Terminal = ["Completed", "Abandoned", "NoAdvisors", "Overflow", "OutOfHours"];
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>Waits (up to <paramref name="drain"/>) until every accepted call has ended in both services, then reconciles.</summary>
    public static async Task<Reconciliation> RunAsync(CampaignTarget target, CallLedger ledger, TimeSpan drain, CancellationToken cancellationToken)
    {
        var accepted = ledger.Placed.Where(call => call.ContactId is not null).ToList();
        var ids = accepted.Select(call => call.ContactId!.Value).ToArray();
        var providerIds = accepted.Select(call => call.ProviderCallId).ToArray();
        var deadline = DateTimeOffset.UtcNow + drain;
        while (true)
        {
            var console = await ConsoleAsync(target.ConsoleDatabase, ids, cancellationToken);
            var intake = await IntakeAsync(target.IntakeDatabase, providerIds, cancellationToken);
            var unfinished = ids.Count(id => !console.TryGetValue(id, out var c) || !Terminal.Contains(c.Status))
                + providerIds.Count(id => !intake.TryGetValue(id, out var rows) || rows.Any(state => !Terminal.Contains(state)));
            if (unfinished == 0 || DateTimeOffset.UtcNow > deadline)
            {
                var queues = await target.Queues(cancellationToken);
                return new Reconciliation(
                    accepted.Count,
                    MissingInConsole: ids.Count(id => !console.ContainsKey(id)),
                    MissingInIntake: providerIds.Count(id => !intake.ContainsKey(id)),
                    Unfinished: ids.Count(id => console.TryGetValue(id, out var c) && !Terminal.Contains(c.Status))
                        + providerIds.Count(id => intake.TryGetValue(id, out var rows) && rows.Any(state => !Terminal.Contains(state))),
                    StoredTwice: intake.Values.Count(rows => rows.Count > 1),
                    EndedTwice: console.Values.Count(c => c.Ended > 1),
                    ledger.HeldTwice,
                    ledger.OfferedTwiceAtOnce,
                    queues.Where(queue => queue.Key.EndsWith("_error", StringComparison.Ordinal) && queue.Value > 0).ToDictionary(),
                    await CountAsync(target.IntakeDatabase, "SELECT count(*) FROM intake.outbox_dead_letters", cancellationToken),
                    await CountAsync(target.ConsoleDatabase, "SELECT count(*) FROM console.outbox_dead_letters", cancellationToken),
                    await UnhealthyAsync(target, cancellationToken));
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }

    private static async Task<Dictionary<Guid, (string Status, long Ended)>> ConsoleAsync(string connectionString, Guid[] ids, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT c.id, c.status, (SELECT count(*) FROM console.contact_events e WHERE e.contact_id = c.id AND e.type = 'Ended') FROM console.contacts c WHERE c.id = ANY(@ids)",
            connection);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var contacts = new Dictionary<Guid, (string, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            contacts[reader.GetGuid(0)] = (reader.GetString(1), reader.GetInt64(2));
        }

        return contacts;
    }

    private static async Task<Dictionary<string, List<string>>> IntakeAsync(string connectionString, string[] providerCallIds, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT provider_call_id, state FROM intake.inbound_calls WHERE provider_call_id = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", providerCallIds);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var calls = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            if (!calls.TryGetValue(id, out var states))
            {
                calls[id] = states = [];
            }

            states.Add(reader.GetString(1));
        }

        return calls;
    }

    private static async Task<long> CountAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The services whose <c>/health/ready</c> does not answer 200.</summary>
    public static async Task<IReadOnlyList<string>> UnhealthyAsync(CampaignTarget target, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var unhealthy = new List<string>();
        foreach (var service in target.Consoles.Prepend(target.Intake))
        {
            try
            {
                using var response = await http.GetAsync(new Uri(service, "/health/ready"), cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    unhealthy.Add($"{service} {(int)response.StatusCode}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                unhealthy.Add($"{service} {exception.GetType().Name}");
            }
        }

        return unhealthy;
    }
}
