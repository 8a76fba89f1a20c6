using Helpline.FaultCampaign;
using Helpline.LoadGenerator;

const string Usage = """
    Helpline fault campaign: starts a system of its own (PostgreSQL, RabbitMQ, Intake, two Console instances) and
    breaks it while calls flow, then reconciles from outside; or sends it hostile requests. docs/benchmarks.md

    Usage (from the repository root, as root: it runs PostgreSQL as the postgres user, like run.sh):
      dotnet run -c Release --project benchmarks/Helpline.FaultCampaign -- campaign [--quick] [options]
      dotnet run -c Release --project benchmarks/Helpline.FaultCampaign -- hostile  [options]

    campaign  Calls at a steady rate from a provider that retries every non-2xx; advisors accept every offer. Faults one
              at a time, then overlapping: SIGKILL of Intake, of the routing Console (the other running), of the only
              Console; RabbitMQ stopped and started; PostgreSQL stopped -m immediate (short and long); the network path
              to PostgreSQL frozen. Afterwards: lost, doubled, _error queues, outbox dead letters, health. Exit 0 if clean.
    hostile   N generated hostile requests against every door of both services (the suite's generators and door
              survey): never a 5xx, no rows written by a refused request, healthy afterwards. Exit 0 if so.

    Options (defaults; --quick changes the campaign's to the second column):
      --work DIR              work folder (servers' data, secrets, logs)           .data/campaign
      --intake-port P         Intake                                                5180
      --console-port P        first Console (the second on P+1)                     5181
      --pg-port P             PostgreSQL                                            55734
      --rabbitmq-port P       RabbitMQ (management P+10000)                         5977
    campaign:
      --rate R                calls per second                                     20      10
      --advisors N            advisors signed in                                   60      30
      --patience S            seconds a caller waits before hanging up             20      20
      --quiet S               steady seconds before and between faults             20      5
      --kill S                seconds a killed process stays down                  3       1
      --broker S              seconds RabbitMQ stays stopped                       10      3
      --db-short S            seconds of the short PostgreSQL stop                 5       5
      --db-long S             seconds of the long PostgreSQL stop                  60      15
      --freeze S              seconds the network path stays frozen                10      5
      --recovery S            most seconds a fault may take to recover             180     120
      --drain S               most seconds for the calls to end afterwards         180     120
    hostile:
      --requests N            hostile requests                                     100000
      --seed N                generators' seed                                     20261202
    """;

if (args.Length == 0 || args.Any(argument => argument is "--help" or "-h"))
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

using var interrupted = CommandLine.CancelledByCtrlC();

try
{
    var quick = args.Contains("--quick");
    var line = new CommandLine([.. args[1..].Where(argument => argument != "--quick")]);
    var stack = new StackOptions(
        Path.GetFullPath(line.Text("work", Path.Combine(".data", "campaign"))),
        line.Int("intake-port", 5180, 1024, 65535),
        line.Int("console-port", 5181, 1024, 65534),
        line.Int("pg-port", 55734, 1024, 65535),
        line.Int("rabbitmq-port", 5977, 1024, 55535));
    switch (args[0])
    {
        case "campaign":
            {
                var settings = new CampaignSettings(
                    line.Number("rate", quick ? 10 : 20, 0.1, 500),
                    line.Int("advisors", quick ? 30 : 60, 1, 2000),
                    Seconds(line, "patience", 20),
                    Seconds(line, "quiet", quick ? 5 : 20),
                    Seconds(line, "quiet", quick ? 5 : 20),
                    Seconds(line, "recovery", quick ? 120 : 180),
                    Seconds(line, "drain", quick ? 120 : 180));
                var holds = new FaultHolds(
                    Seconds(line, "kill", quick ? 1 : 3),
                    Seconds(line, "broker", quick ? 3 : 10),
                    Seconds(line, "db-short", 5),
                    Seconds(line, "db-long", quick ? 15 : 60),
                    Seconds(line, "freeze", quick ? 5 : 10));
                line.EnsureAllRead();
                await using var system = await LocalStack.StartAsync(stack, new Dictionary<string, string?>(), Console.Out);
                var result = await new Campaign(system.Target, settings, Console.Out).RunAsync(Faults.Against(system, holds), interrupted.Token);
                return result.Passed ? 0 : 1;
            }

        case "hostile":
            {
                var requests = line.Int("requests", 100_000, 1, 10_000_000);
                var seed = (ulong)line.Int("seed", 20261202, 0, int.MaxValue);
                line.EnsureAllRead();
                await using var system = await LocalStack.StartAsync(stack, HostileCampaign.Settings, Console.Out);
                var result = await new HostileCampaign(system, Console.Out).RunAsync(requests, seed, interrupted.Token);
                return result.Passed ? 0 : 1;
            }

        default:
            throw new UsageException($"Unknown mode '{args[0]}': use campaign or hostile (--help lists the options).");
    }
}
catch (UsageException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}
catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted; the campaign's services and servers were stopped.");
    return 130;
}

static TimeSpan Seconds(CommandLine line, string name, int fallback) => TimeSpan.FromSeconds(line.Int(name, fallback, 0, 3600));
