using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Helpline.Testing;
using Microsoft.AspNetCore.SignalR.Client;

// Two measurements against real servers (benchmarks/email-benchmark.sh starts them):
//  1. ingestion: N realistic messages already in the mailbox; Intake starts; the time until every one is
//     stored and its EmailReceived confirmed by the broker (outbox rows sent) gives messages per second
//     (N = 0 skips it);
//  2. latency: one message at a time lands in the mailbox (moved into Maildir/new); the time until the
//     advisor's console (a SignalR client) is offered it, p50 and p99.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var samples = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var invariant = CultureInfo.InvariantCulture;

if (count > 0)
{
    await IngestAsync();
}

await LatencyAsync();

// Information logs (a line per message and per offer) would measure the console's output, not the channel.
static Dictionary<string, string?> Settings(TestMailbox mailbox)
{
    var settings = mailbox.IntakeSettings();
    settings["Logging:LogLevel:Default"] = "Warning";
    return settings;
}

async Task IngestAsync()
{
    var mailbox = TestMailbox.Create("bench");
    (await mailbox.ConnectAsync()).Dispose();
    var messages = Enumerable.Range(0, count).Select(i => EmailCorpus.Realistic(i)).ToList();
    Console.WriteLine(string.Create(invariant, $"delivering {count} messages ({messages.Average(m => m.Length):0} bytes on average) into the mailbox"));
    await mailbox.AppendAsync(messages);

    await using var slice = await Slice.CreateAsync(settings: Settings(mailbox));
    var clock = Stopwatch.StartNew();
    slice.StartIntake();
    long sent = 0;
    while (sent < count)
    {
        await Task.Delay(250);
        sent = await slice.Database.CountAsync("SELECT count(*) FROM intake.outbox_messages WHERE message_type LIKE 'Helpline.Contracts.EmailReceived%' AND sent_at IS NOT NULL");
    }

    var seconds = clock.Elapsed.TotalSeconds;
    var stored = await slice.Database.CountAsync("SELECT count(*) FROM intake.email_messages");
    Console.WriteLine(string.Create(invariant, $"ingestion: {count} messages stored ({stored} rows) and queued in {seconds:0.0} s (including Intake's start): {count / seconds:0} messages/s"));
}

async Task LatencyAsync()
{
    var mailbox = TestMailbox.Create("latency");
    (await mailbox.ConnectAsync()).Dispose();
    await using var slice = await Slice.CreateAsync(settings: Settings(mailbox));
    slice.StartConsole().StartIntake();
    var advisor = await slice.AvailableAdvisorAsync("bench-advisor");
    var offers = Channel.CreateUnbounded<(Guid ContactId, long OfferId, long At)>();
    advisor.Connection.On<System.Text.Json.JsonElement>("ContactOffered", offer =>
        offers.Writer.TryWrite((offer.GetProperty("contactId").GetGuid(), offer.GetProperty("offerId").GetInt64(), Stopwatch.GetTimestamp())));
    var latencies = new List<double>();
    var seen = new HashSet<Guid>();
    for (var i = 0; i < samples; i++)
    {
        var raw = EmailCorpus.Realistic(100_000 + i);
        var landed = Stopwatch.GetTimestamp();
        await mailbox.AppendAsync([raw]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        // A notification may come twice (a live push and a resync): only a contact not seen before counts.
        var (contactId, offerId, at) = await offers.Reader.ReadAsync(timeout.Token);
        while (!seen.Add(contactId))
        {
            (contactId, offerId, at) = await offers.Reader.ReadAsync(timeout.Token);
        }

        latencies.Add(Stopwatch.GetElapsedTime(landed, at).TotalMilliseconds);
        Console.Error.WriteLine(string.Create(invariant, $"message {i + 1} of {samples}: {latencies[^1]:0} ms"));
        await advisor.Connection.InvokeAsync("AcceptOffer", offerId);
        await advisor.Connection.InvokeAsync("CompleteContact", contactId);
    }

    latencies.Sort();
    double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
    Console.WriteLine(string.Create(invariant, $"mailbox to console: {samples} messages one at a time, p50 {Percentile(0.50):0} ms, p99 {Percentile(0.99):0} ms, max {latencies[^1]:0} ms"));
}
