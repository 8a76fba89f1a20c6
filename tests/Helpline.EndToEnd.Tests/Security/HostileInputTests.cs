using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.SignalR;
using System.Reflection;
using System.Text.Json;
using CsCheck;
using Helpline.Console.Data;
using Helpline.Testing;
using Helpline.Testing.Hostile;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace Helpline.EndToEnd.Tests.Security;

/// <summary>
/// Property-based fuzz of every door: each endpoint of the running Console and Intake (read from their own
/// endpoint metadata, as <see cref="EveryDoorTests"/> does) gets generated hostile requests, anonymous and
/// as a caller the door lets in (every role, a key with every scope, Twilio's signature), and every hub
/// method gets wrong-typed, missing and oversized arguments. Never a 5xx; every 4xx of ours is problem
/// details; a refused request writes nothing (row counts of the tables that matter, read in PostgreSQL);
/// a hub answers a bad invocation with a hub error and stays up. The seed is fixed and printed;
/// <c>HELPLINE_FUZZ_SEED</c> overrides it.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const ulong DefaultSeed = 20261202;
    private const int CasesPerDoor = 24;
    private const int AnonymousCasesPerDoor = 6;
    private const string AuthToken = "an-auth-token-for-the-fuzz";
    private const string PublicBaseUrl = "https://helpline.example";
    private const string AccountSid = "AC00000000000000000000000000000000";

    private static ulong Seed() =>
        Environment.GetEnvironmentVariable("HELPLINE_FUZZ_SEED") is { Length: > 0 } given ? ulong.Parse(given, CultureInfo.InvariantCulture) : DefaultSeed;

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Telephony:Provider"] = "Twilio",
        ["Twilio:AccountSid"] = AccountSid,
        ["Twilio:AuthToken"] = AuthToken,
        ["Twilio:PublicBaseUrl"] = PublicBaseUrl,
        ["Twilio:ApiBaseUrl"] = "http://127.0.0.1:9",
    };

    [Fact]
    public async Task Every_endpoint_answers_hostile_requests_without_a_5xx_with_problem_details_and_without_writing()
    {
        var seed = Seed();
        output.WriteLine($"Fuzz seed {seed} (rerun with HELPLINE_FUZZ_SEED={seed})");
        await using var slice = (await Slice.CreateAsync(settings: Settings())).StartConsole().StartIntake();
        var pcg = new PCG(1, seed);
        var fuzz = new HostileFuzz(new RowCounts([(slice.Database.ConnectionString, "console"), (slice.Database.ConnectionString, "intake")]), output.WriteLine, AuthToken, PublicBaseUrl);

        var allRoles = await TestAccounts.EnsureUserAsync(slice.Console!.Address, "fuzz-everyone", "Advisor", "Supervisor", "Admin");
        using var everyone = await TestAccounts.ClientAsync(slice.Console.Address, allRoles);
        using var anonymousConsole = slice.Console.CreateHttpClient();
        using var anonymousIntake = slice.Intake!.CreateHttpClient();
        using var keyed = await slice.Intake.CreateIntegrationClientAsync([.. IntegrationKeyClients.AllScopes]);
        var clients = new FuzzClients(
            anonymousConsole,
            everyone,
            async () => await TestAccounts.ClientAsync(slice.Console.Address, await TestAccounts.EnsureUserAsync(slice.Console.Address, "fuzz-leaving", "Advisor")),
            anonymousIntake,
            keyed);
        await fuzz.RoundAsync(DoorSurvey.Doors(slice.Console.Services), DoorSurvey.Doors(slice.Intake.Services), clients, AccountSid, pcg, CasesPerDoor, AnonymousCasesPerDoor);

        using var health = slice.Console.CreateHttpClient();
        using var intakeHealth = slice.Intake.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await intakeHealth.GetAsync("/health/live")).StatusCode);
        output.WriteLine($"{fuzz.Cases} hostile requests, {fuzz.Refused} refused (4xx), {fuzz.Answered} answered (2xx/3xx), {fuzz.Closed} closed by the server while sending their body");
        Assert.True(fuzz.Cases >= 2000, $"only {fuzz.Cases} cases ran");
        Assert.True(fuzz.Failures.Count == 0, $"Seed {seed}: {fuzz.Failures.Count} failure(s):\n" + string.Join("\n", fuzz.Failures.Take(40)));
    }

    [Fact]
    public async Task Every_hub_method_answers_wrong_missing_and_oversized_arguments_with_a_hub_error_and_stays_up()
    {
        var seed = Seed();
        output.WriteLine($"Fuzz seed {seed} (rerun with HELPLINE_FUZZ_SEED={seed})");
        await using var slice = (await Slice.CreateAsync()).StartConsole();
        var console = slice.Console!;
        var token = await TestAccounts.EnsureUserAsync(console.Address, "fuzz-hubs", "Advisor", "Supervisor", "Admin");
        var pcg = new PCG(2, seed);
        var arguments = HubArguments();
        var failures = new List<string>();
        var invocations = 0;

        foreach (var hub in DoorSurvey.HubMethods(typeof(ConsoleDbContext).Assembly).GroupBy(m => m.Hub))
        {
            var path = (string)hub.Key.GetField("Path", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            var connection = await ConnectAsync(console.Address, path, token);
            var oversizedSent = false;
            try
            {
                foreach (var (_, method, _) in hub)
                {
                    for (var i = 0; i < 25; i++)
                    {
                        var count = method.GetParameters().Length;
                        var given = arguments.Array[Math.Max(0, count - 1), count + 1].Generate(pcg, null, out _);
                        var label = $"{hub.Key.Name}.{method.Name}({string.Join(", ", given.Select(a => a.Label))})";
                        invocations++;
                        if (connection.State != HubConnectionState.Connected)
                        {
                            await connection.DisposeAsync();
                            connection = await ConnectAsync(console.Address, path, token);
                            oversizedSent = false;
                        }

                        oversizedSent |= given.Any(a => a.Oversized);

                        try
                        {
                            await connection.InvokeCoreAsync(method.Name, typeof(JsonElement), [.. given.Select(a => a.Value)]).WaitAsync(TimeSpan.FromSeconds(30));
                        }
                        catch (HubException exception) when (!exception.Message.StartsWith("An unexpected error occurred", StringComparison.Ordinal) || exception.Message.Contains("on the server. HubException:", StringComparison.Ordinal))
                        {
                            // Refused: arguments that do not bind, or the hub's own refusal (a HubException, which detailed errors wrap).
                        }
                        catch (HubException exception)
                        {
                            failures.Add($"{label}: the method threw ({exception.Message})");
                        }
                        catch (Exception exception) when (exception is InvalidOperationException or IOException or TaskCanceledException && oversizedSent)
                        {
                            // An oversized message closes the connection (the hub's MaximumReceiveMessageSize), at once or as the next
                            // invocation goes out: refused, and the connection is opened again above.
                        }
                    }
                }
            }
            finally
            {
                await connection.DisposeAsync();
            }

            // Still serving: a fresh connection opens.
            await (await ConnectAsync(console.Address, path, token)).DisposeAsync();
        }

        using var client = console.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        output.WriteLine($"{invocations} hostile hub invocations");
        Assert.True(failures.Count == 0, $"Seed {seed}: {failures.Count} failure(s):\n" + string.Join("\n", failures.Take(40)));
    }

    private sealed record HubArgument(object? Value, string Label, bool Oversized = false);

    private static Gen<HubArgument> HubArguments() => Gen.Frequency(
        (3, Gen.OneOf<HubArgument>(new HubArgument(null, "null"), new HubArgument("", "empty"), new HubArgument("not-a-guid", "text"), new HubArgument(-1, "-1"), new HubArgument(long.MaxValue, "long.Max"), new HubArgument(true, "true"), new HubArgument(1.5, "1.5"))),
        (2, Gen.Guid.Select(g => new HubArgument(g, "guid"))),
        (2, Gen.String[Gen.Char, 0, 40].Select(s => new HubArgument(s, "string"))),
        (1, Gen.Int[0, 9].Select(n => new HubArgument(new { status = n, reason = new[] { n } }, "object"))),
        (1, Gen.Int[1, 5].Select(n => new HubArgument(Enumerable.Range(0, n).ToArray(), "array"))),
        (1, Gen.Int[40_000, 200_000].Select(n => new HubArgument(new string('a', n), "oversized", Oversized: true))));

    private static async Task<HubConnection> ConnectAsync(Uri console, string path, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(console, path), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
