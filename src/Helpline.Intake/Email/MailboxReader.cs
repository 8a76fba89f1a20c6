using Helpline.Intake.Data;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.Intake.Email;

/// <summary>
/// Reads the helpline mailbox over IMAP: each configured folder from its checkpoint (UIDVALIDITY + last
/// UID) onwards, a message at a time through <see cref="EmailIngestor"/>; then waits with IDLE (re-issued
/// every <see cref="ImapOptions.IdleRefresh"/>) where the server has it and one folder is read, or polls with
/// NOOP. Any failure — network, protocol, database — drops the connection and tries again with a doubling
/// wait; the checkpoint only ever moves with a stored message, so nothing is lost or read twice. One Intake
/// instance reads at a time (a PostgreSQL advisory lock per mailbox); the others wait to take over.
/// </summary>
internal sealed partial class MailboxReader(
    IServiceScopeFactory scopes,
    IOptions<ImapOptions> options,
    IOptions<EmailLimits> limits,
    EmailMetrics metrics,
    TimeProvider time,
    ILogger<MailboxReader> logger) : BackgroundService
{
    /// <summary>The most one fetch brings into memory at once (messages over the size limit are not fetched).</summary>
    private const long MaxBatchBytes = 32L * 1024 * 1024;

    private readonly ImapOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lease = await MailboxLease.AcquireAsync(await ConnectionStringAsync(), _options.Mailbox, _options.PollInterval, time, stoppingToken);
                using var client = new ImapClient();
                await MailConnections.ConnectAsync(client, _options, stoppingToken);
                LogConnected(logger, _options.Mailbox, (client.Capabilities & ImapCapabilities.Idle) != 0);
                delay = TimeSpan.Zero;
                await ReadAsync(client, lease, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Whatever went wrong, the reader must live: back off and connect again.
                delay = delay == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : delay * 2;
                delay = delay > _options.MaxReconnectDelay ? _options.MaxReconnectDelay : delay;
                metrics.Reconnect(exception.GetType().Name);
                LogReconnecting(logger, exception.GetType().Name, delay);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<string> ConnectionStringAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<IntakeDbContext>().Database.GetConnectionString()!;
    }

    private async Task ReadAsync(ImapClient client, MailboxLease lease, CancellationToken stoppingToken)
    {
        var folders = new List<IMailFolder>();
        foreach (var name in _options.Folders)
        {
            folders.Add(name.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? client.Inbox : await client.GetFolderAsync(name, stoppingToken));
        }

        var idle = folders.Count == 1 && client.Capabilities.HasFlag(ImapCapabilities.Idle);
        // New mail reported while a sync was running (an untagged EXISTS in any response) is read at once,
        // not left waiting for the next IDLE refresh.
        var changed = false;
        CancellationTokenSource? idling = null;
        void OnChanged(object? sender, EventArgs e)
        {
            changed = true;
            idling?.Cancel();
        }

        folders[0].CountChanged += OnChanged;
        try
        {
            while (true)
            {
                changed = false;
                foreach (var folder in folders)
                {
                    await lease.EnsureHeldAsync(stoppingToken);
                    await SyncAsync(folder, stoppingToken);
                }

                if (changed)
                {
                    continue;
                }

                if (idle)
                {
                    using (idling = new CancellationTokenSource(_options.IdleRefresh, time))
                    {
                        await client.IdleAsync(idling.Token, stoppingToken);
                    }

                    idling = null;
                }
                else
                {
                    await Task.Delay(_options.PollInterval, time, stoppingToken);
                    await client.NoOpAsync(stoppingToken);
                }
            }
        }
        finally
        {
            folders[0].CountChanged -= OnChanged;
        }
    }

    /// <summary>Stores every message of <paramref name="folder"/> past its checkpoint, in UID order.</summary>
    private async Task SyncAsync(IMailFolder folder, CancellationToken stoppingToken)
    {
        await folder.OpenAsync(_options.DeleteAfterStore ? FolderAccess.ReadWrite : FolderAccess.ReadOnly, stoppingToken);
        var validity = folder.UidValidity;
        var after = await LastUidAsync(folder.FullName, validity, stoppingToken);
        if (folder.Count == 0)
        {
            return;
        }

        var uids = await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId(validity, (uint)Math.Min(after + 1, uint.MaxValue)), UniqueId.MaxValue)), stoppingToken);
        var pending = uids.Where(uid => uid.Id > after).OrderBy(uid => uid.Id).ToList();
        for (var start = 0; start < pending.Count; start += _options.BatchSize)
        {
            var slice = pending.GetRange(start, Math.Min(_options.BatchSize, pending.Count - start));
            var summaries = (await folder.FetchAsync(slice, MessageSummaryItems.UniqueId | MessageSummaryItems.Size | MessageSummaryItems.InternalDate, stoppingToken))
                .OrderBy(s => s.UniqueId.Id)
                .ToList();
            foreach (var batch in BySize(summaries))
            {
                await StoreBatchAsync(folder, validity, batch, stoppingToken);
            }
        }
    }

    /// <summary>Consecutive summaries whose messages together stay under <see cref="MaxBatchBytes"/>.</summary>
    private static IEnumerable<List<IMessageSummary>> BySize(List<IMessageSummary> summaries)
    {
        var batch = new List<IMessageSummary>();
        long bytes = 0;
        foreach (var summary in summaries)
        {
            var size = (long)(summary.Size ?? 0);
            if (batch.Count > 0 && bytes + size > MaxBatchBytes)
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(summary);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private async Task StoreBatchAsync(IMailFolder folder, uint validity, List<IMessageSummary> batch, CancellationToken stoppingToken)
    {
        var max = limits.Value.MaxMessageBytes;
        var fetchable = batch.Where(s => (long)(s.Size ?? 0) <= max).Select(s => s.UniqueId).ToList();
        var raws = new Dictionary<uint, byte[]>();
        if (fetchable.Count > 0)
        {
            await ((ImapFolder)folder).GetStreamsAsync(fetchable, async (_, _, uid, stream, cancellationToken) =>
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, cancellationToken);
                raws[uid.Id] = copy.ToArray();
            }, stoppingToken);
        }

        var stored = new List<UniqueId>();
        foreach (var summary in batch)
        {
            var size = (long)(summary.Size ?? 0);
            byte[] raw;
            if (size > max)
            {
                using var headers = new MemoryStream();
                (await folder.GetHeadersAsync(summary.UniqueId, stoppingToken)).WriteTo(headers, stoppingToken);
                raw = headers.ToArray();
            }
            else if (!raws.TryGetValue(summary.UniqueId.Id, out raw!))
            {
                // Expunged or moved by another client since the search: a folder it was moved to is read too.
                continue;
            }

            await using var scope = scopes.CreateAsyncScope();
            var ingestor = scope.ServiceProvider.GetRequiredService<EmailIngestor>();
            var receivedAt = summary.InternalDate ?? time.GetUtcNow();
            await ingestor.IngestAsync(raw, size, receivedAt, new MailboxLocation(_options.Mailbox, folder.FullName, validity, summary.UniqueId.Id), stoppingToken);
            stored.Add(summary.UniqueId);
        }

        if (_options.DeleteAfterStore && stored.Count > 0)
        {
            await folder.AddFlagsAsync(stored, MessageFlags.Deleted, silent: true, stoppingToken);
            await folder.ExpungeAsync(stored, stoppingToken);
        }
    }

    /// <summary>The last UID stored for the folder under this UIDVALIDITY; 0 (read it all again) when the server's UIDVALIDITY changed.</summary>
    private async Task<long> LastUidAsync(string folder, uint validity, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        var checkpoint = await db.MailboxCheckpoints.AsNoTracking().SingleOrDefaultAsync(c => c.Mailbox == _options.Mailbox && c.Folder == folder, stoppingToken);
        if (checkpoint is null)
        {
            return 0;
        }

        if (checkpoint.UidValidity != validity)
        {
            LogResync(logger, checkpoint.UidValidity, validity);
            return 0;
        }

        return checkpoint.LastUid;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to mailbox {Mailbox} (IDLE: {Idle})")]
    private static partial void LogConnected(ILogger logger, string mailbox, bool idle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mailbox connection failed ({ExceptionType}); connecting again in {Delay}")]
    private static partial void LogReconnecting(ILogger logger, string exceptionType, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "UIDVALIDITY changed from {Old} to {New}: reading the folder again from the start (stored messages are recognised and skipped)")]
    private static partial void LogResync(ILogger logger, long old, uint @new);
}

/// <summary>
/// Who reads a mailbox: a session-level PostgreSQL advisory lock, held on a connection of its own for as
/// long as the reader runs. A second Intake instance waits for it; if this instance dies, its connection
/// closes and the lock passes on.
/// </summary>
internal sealed class MailboxLease : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;

    private MailboxLease(NpgsqlConnection connection) => _connection = connection;

    public static async Task<MailboxLease> AcquireAsync(string connectionString, string mailbox, TimeSpan retry, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext('helpline-mailbox:' || $1))", connection) { Parameters = { new() { Value = mailbox } } };
                if (await command.ExecuteScalarAsync(cancellationToken) is true)
                {
                    return new MailboxLease(connection);
                }
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }

            await connection.DisposeAsync();
            await Task.Delay(retry, time, cancellationToken);
        }
    }

    /// <summary>Throws when the lock's connection is gone (the lock with it), so the reader stops and competes again.</summary>
    public async Task EnsureHeldAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1", _connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
