using System.Collections.Concurrent;
using Helpline.ServiceDefaults.Faults;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Helpline.Console.Supervisors;

/// <summary>
/// The latest dead-letter counts each service reported (<see cref="DeadLettersCounted"/>), kept by every
/// Console instance (each gets its own copy on a temporary queue). After a restart the list fills again
/// within one poll of each service.
/// </summary>
internal sealed class DeadLetterBoard(TimeProvider time)
{
    private const int MaxNameLength = 200;

    private const int MaxPlaces = 500;

    /// <summary>How far ahead of this clock a report may be dated (clock skew); later ones would hide real reports.</summary>
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, DeadLettersCounted> _latest = new(StringComparer.Ordinal);

    /// <summary>Keeps the report if it is well formed and newer than the service's last; anything else is ignored.</summary>
    /// <returns>Whether it was kept.</returns>
    public bool Report(DeadLettersCounted report)
    {
        if (!WellFormed(report))
        {
            return false;
        }

        _latest.AddOrUpdate(report.Service, report, (_, known) => report.At >= known.At ? report : known);
        return true;
    }

    public IReadOnlyList<DeadLettersCounted> Latest() => [.. _latest.Values.OrderBy(r => r.Service, StringComparer.Ordinal)];

    private bool WellFormed(DeadLettersCounted? report) =>
        report is { Service.Length: > 0 and <= MaxNameLength, Held: { Count: <= MaxPlaces } held }
        && report.At <= time.GetUtcNow() + MaxSkew
        && held.All(h => h is { Place.Length: > 0 and <= MaxNameLength, Count: >= 0 } && h.Reason is null or { Length: <= MaxNameLength });
}

/// <summary>A malformed report is dropped (logged), never dead-lettered: the next poll brings a good one.</summary>
internal sealed partial class DeadLetterReportConsumer(DeadLetterBoard board, ILogger<DeadLetterReportConsumer> logger) : IConsumer<DeadLettersCounted>
{
    public Task Consume(ConsumeContext<DeadLettersCounted> context)
    {
        if (!board.Report(context.Message))
        {
            LogIgnored(logger, context.MessageId);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dead-letter report was malformed or dated in the future and was ignored (message {MessageId})")]
    private static partial void LogIgnored(ILogger logger, Guid? messageId);
}

/// <param name="Service">The service holding them.</param>
/// <param name="Place">The queue or table.</param>
/// <param name="Reason">Why they failed, where the place keeps it (an exception type, a type that no longer resolves).</param>
internal sealed record HeldDeadLetters(string Service, string Place, string? Reason, long Count);

/// <param name="Reported">When each service last reported, so an old count shows as old.</param>
/// <param name="Held">What is held now, per service, place and reason.</param>
internal sealed record DeadLetterList(IReadOnlyDictionary<string, DateTimeOffset> Reported, IReadOnlyList<HeldDeadLetters> Held);

internal static class DeadLetterEndpoints
{
    public static Ok<DeadLetterList> List(DeadLetterBoard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var latest = board.Latest();
        return TypedResults.Ok(new DeadLetterList(
            latest.ToDictionary(r => r.Service, r => r.At, StringComparer.Ordinal),
            [.. latest.SelectMany(r => r.Held.Select(h => new HeldDeadLetters(r.Service, h.Place, h.Reason, h.Count)))]));
    }
}
