namespace Helpline.FaultCampaign;

/// <summary>How long each kind of fault is held.</summary>
internal sealed record FaultHolds(TimeSpan Kill, TimeSpan Broker, TimeSpan ShortDatabase, TimeSpan LongDatabase, TimeSpan Freeze);

/// <summary>The campaign's faults against its own <see cref="LocalStack"/>: each alone, then some together.</summary>
internal static class Faults
{
    public static IReadOnlyList<FaultStep> Against(LocalStack stack, FaultHolds holds)
    {
        var intakeKill = IntakeKill(stack, holds.Kill);
        return
        [
            intakeKill,
            RoutingConsoleKill(stack, holds.Kill),
            new FaultStep(
                "SIGKILL of the only Console (the standby killed first)",
                async cancellationToken =>
                {
                    stack.KillConsole(1 - stack.Routing);
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    stack.KillConsole(stack.Routing);
                },
                holds.Kill,
                async _ =>
                {
                    var last = stack.Routing;
                    await stack.StartConsoleAsync(last);
                    await stack.StartConsoleAsync(1 - last);
                }),
            BrokerRestart(stack, holds.Broker),
            DatabaseCrash(stack, holds.ShortDatabase),
            DatabaseCrash(stack, holds.LongDatabase),
            Freeze(stack, holds.Freeze),
            // Together; each is lifted in the reverse order, so a service restarts once what it needs is back.
            FaultStep.Overlapping(IntakeKill(stack, holds.Kill), BrokerRestart(stack, holds.Broker)),
            FaultStep.Overlapping(RoutingConsoleKill(stack, holds.Kill), DatabaseCrash(stack, holds.ShortDatabase)),
            FaultStep.Overlapping(IntakeKill(stack, holds.Kill), Freeze(stack, holds.Freeze)),
        ];
    }

    private static FaultStep IntakeKill(LocalStack stack, TimeSpan hold) =>
        new("SIGKILL of Intake", _ => Done(stack.KillIntake), hold, _ => stack.StartIntakeAsync());

    private static FaultStep RoutingConsoleKill(LocalStack stack, TimeSpan hold)
    {
        var killed = 0;
        return new FaultStep(
            "SIGKILL of the routing Console (the other instance running)",
            _ => Done(() =>
            {
                killed = stack.Routing;
                stack.KillConsole(killed);
            }),
            hold,
            _ => stack.StartConsoleAsync(killed));
    }

    private static FaultStep BrokerRestart(LocalStack stack, TimeSpan hold) =>
        new("RabbitMQ stopped and started", stack.StopRabbitMqAsync, hold, stack.StartRabbitMqAsync);

    private static FaultStep DatabaseCrash(LocalStack stack, TimeSpan hold) =>
        new($"PostgreSQL stopped -m immediate for {hold.TotalSeconds:F0} s", stack.CrashPostgresAsync, hold, stack.StartPostgresAsync);

    private static FaultStep Freeze(LocalStack stack, TimeSpan hold) =>
        new($"network path to PostgreSQL frozen for {hold.TotalSeconds:F0} s", _ => Done(stack.Freeze), hold, _ => Done(stack.Thaw));

    private static Task Done(Action action)
    {
        action();
        return Task.CompletedTask;
    }
}
