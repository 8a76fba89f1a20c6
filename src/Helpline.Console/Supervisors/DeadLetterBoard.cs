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
internal sealed class DeadLetterBoard
{
    private readonly ConcurrentDictionary<string, DeadLettersCounted> _latest = new(StringComparer.Ordinal);

    public void Report(DeadLettersCounted report) =>
        _latest.AddOrUpdate(report.Service, report, (_, known) => report.At >= known.At ? report : known);

    public IReadOnlyList<DeadLettersCounted> Latest() => [.. _latest.Values.OrderBy(r => r.Service, StringComparer.Ordinal)];
}

internal sealed class DeadLetterReportConsumer(DeadLetterBoard board) : IConsumer<DeadLettersCounted>
{
    public Task Consume(ConsumeContext<DeadLettersCounted> context)
    {
        board.Report(context.Message);
        return Task.CompletedTask;
    }
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
