using Helpline.LoadGenerator;
using Helpline.LoadGenerator.IntakeAlone;
using Helpline.LoadGenerator.Latency;
using Helpline.LoadGenerator.Simulation;

if (args.Length == 0 || args.Any(argument => argument is "--help" or "-h"))
{
    Console.WriteLine(CommandLine.Usage);
    return args.Length == 0 ? 2 : 0;
}

using var interrupted = CommandLine.CancelledByCtrlC();

try
{
    var line = new CommandLine(args[1..]);
    Func<string, CancellationToken, Task<int>> run = args[0] switch
    {
        "latency" => new LatencyBenchmark(LatencyOptions.From(line)).RunAsync,
        "simulate" => new TrafficSimulation(SimulationOptions.From(line)).RunAsync,
        "intake" => new IntakeThroughput(IntakeOptions.From(line)).RunAsync,
        _ => throw new UsageException($"Unknown mode '{args[0]}': use latency, simulate or intake (--help lists the options)."),
    };
    line.EnsureAllRead();
    return await run(Guid.NewGuid().ToString("N")[..8], interrupted.Token);
}
catch (UsageException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}
catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted; advisors were signed off.");
    return 130;
}
