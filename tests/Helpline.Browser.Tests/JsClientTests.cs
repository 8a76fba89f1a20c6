using System.Diagnostics;
using Helpline.Testing;

namespace Helpline.Browser.Tests;

/// <summary>The official SignalR JavaScript client in Node (tests/js-client), against the real services.</summary>
public sealed class JsClientTests(ServicesFixture fixture) : IClassFixture<ServicesFixture>
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Node_advisor_with_a_bearer_token_goes_Available_is_offered_a_call_accepts_it_and_is_assigned_it()
    {
        var folder = Path.Combine(TestServers.RepositoryRoot, "tests", "js-client");
        Assert.True(
            Directory.Exists(Path.Combine(folder, "node_modules", "@microsoft", "signalr")),
            $"run `npm ci` in {folder} first (deploy/local/test.sh does)");
        var advisor = fixture.UniqueName("node");
        await fixture.CreateUserAsync(advisor, "Advisor");
        var start = new ProcessStartInfo("node", ["advisor.mjs"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["CONSOLE_URL"] = fixture.Console.ToString(),
                ["INTAKE_URL"] = fixture.Intake.ToString(),
                ["INTAKE_KEY"] = await fixture.Slice.Intake!.CreateIntegrationKeyAsync("calls"),
                ["ADVISOR"] = advisor,
                ["PASSWORD"] = TestAccounts.Password,
                ["TIMEOUT_MS"] = "45000",
            },
        };

        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(NodeTimeout);
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"node did not exit within {NodeTimeout.TotalSeconds:0}s: {await output} {await errors}");
        }

        var stdout = await output;
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}:\n{stdout}\n{await errors}");
        Assert.Contains("StatusChanged Available", stdout, StringComparison.Ordinal);
        Assert.Contains("ContactOffered offer ", stdout, StringComparison.Ordinal);
        Assert.Contains("ContactAssigned after waiting ", stdout, StringComparison.Ordinal);
        Assert.EndsWith("OK", stdout.TrimEnd(), StringComparison.Ordinal);
    }
}
