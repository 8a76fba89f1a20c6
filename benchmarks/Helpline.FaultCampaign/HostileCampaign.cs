using System.Diagnostics;
using System.Security.Cryptography;
using CsCheck;
using Helpline.Console.Data;
using Helpline.Intake.Data;
using Helpline.LoadGenerator;
using Helpline.Testing;
using Helpline.Testing.Hostile;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Helpline.FaultCampaign;

/// <summary>What the hostile mode found.</summary>
internal sealed record HostileResult(int Cases, IReadOnlyList<string> Failures, IReadOnlyList<string> Unhealthy)
{
    public bool Passed => Failures.Count == 0 && Unhealthy.Count == 0;
}

/// <summary>
/// The suite's hostile-input fuzz (<see cref="HostileFuzz"/>, <see cref="HostileInput"/>) at scale against the
/// campaign's running system: rounds over every door of Console and Intake until the asked number of requests
/// is reached. The doors come from the services' own endpoint metadata (<see cref="DoorSurvey"/>), read from each
/// service's application built in this process with the running system's configuration but none of its
/// background services; the requests go to the running processes. Never a 5xx, no rows written by a refused
/// request (each service's tables read with its own role), every service healthy afterwards.
/// </summary>
internal sealed class HostileCampaign(LocalStack stack, TextWriter log)
{
    private const int CasesPerDoor = 24;
    private const int AnonymousCasesPerDoor = 6;
    private const string AccountSid = "AC00000000000000000000000000000000";
    private const string PublicBaseUrl = "https://helpline.example";
    private static readonly string AuthToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Twilio's webhooks on, signed with this run's token, so the fuzz reaches their handlers.</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Telephony:Provider"] = "Twilio",
        ["Twilio:AccountSid"] = AccountSid,
        ["Twilio:AuthToken"] = AuthToken,
        ["Twilio:PublicBaseUrl"] = PublicBaseUrl,
        ["Twilio:ApiBaseUrl"] = "http://127.0.0.1:9",
    };

    public async Task<HostileResult> RunAsync(int requests, ulong seed, CancellationToken cancellationToken)
    {
        var target = stack.Target;
        log.WriteLine($"Hostile inputs: {requests} requests, seed {seed} (rerun with --seed {seed})");
        var consoleDoors = Survey<ConsoleDbContext>("console");
        var intakeDoors = Survey<IntakeDbContext>("intake");
        log.WriteLine($"{consoleDoors.Count} Console doors, {intakeDoors.Count} Intake doors");

        var pcg = new PCG(1, seed);
        var fuzz = new HostileFuzz(new RowCounts([(target.ConsoleDatabase, "console"), (target.IntakeDatabase, "intake")]), _ => { }, AuthToken, PublicBaseUrl);
        var run = Guid.NewGuid().ToString("N")[..8];
        using var accounts = new ConsoleAccounts(target.Consoles[0], new AdminCredentials(target.AdminUserName, target.AdminPassword));
        var everyonePassword = ConsoleAccounts.NewPassword();
        var leavingPassword = ConsoleAccounts.NewPassword();
        await accounts.CreateUserAsync($"hostile-{run}-everyone", everyonePassword, ["Advisor", "Supervisor", "Admin"], cancellationToken);
        await accounts.CreateUserAsync($"hostile-{run}-leaving", leavingPassword, ["Advisor"], cancellationToken);
        using var anonymousConsole = new HttpClient { BaseAddress = target.Consoles[0] };
        using var anonymousIntake = new HttpClient { BaseAddress = target.Intake };
        using var keyed = new HttpClient { BaseAddress = target.Intake }.SendingKey(target.IntakeKey);

        var started = Stopwatch.GetTimestamp();
        for (var round = 1; fuzz.Cases < requests; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A fresh session each round: access tokens last minutes, a round about one.
            using var everyone = new HttpClient { BaseAddress = target.Consoles[0] }
                .SendingKey(await accounts.AccessTokenAsync($"hostile-{run}-everyone", everyonePassword, cancellationToken));
            var clients = new FuzzClients(
                anonymousConsole,
                everyone,
                async () => new HttpClient { BaseAddress = target.Consoles[0] }.SendingKey(await accounts.AccessTokenAsync($"hostile-{run}-leaving", leavingPassword, cancellationToken)),
                anonymousIntake,
                keyed);
            await fuzz.RoundAsync(consoleDoors, intakeDoors, clients, AccountSid, pcg, CasesPerDoor, AnonymousCasesPerDoor);
            log.WriteLine($"  round {round}: {fuzz.Cases} requests so far, {fuzz.Failures.Count} failure(s), {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var unhealthy = await Reconciler.UnhealthyAsync(target, cancellationToken);
        var result = new HostileResult(fuzz.Cases, fuzz.Failures, unhealthy);
        Report.Heading("Hostile inputs");
        Report.Line("seed", seed);
        Report.Line("requests", fuzz.Cases);
        Report.Line("requests/s", (fuzz.Cases / elapsed.TotalSeconds).ToString("F0", System.Globalization.CultureInfo.InvariantCulture));
        Report.Line("refused (4xx)", fuzz.Refused);
        Report.Line("answered (2xx/3xx)", fuzz.Answered);
        Report.Line("closed while sending their body", fuzz.Closed);
        Report.Line("5xx, no answer, not problem details, or rows written by a refused request", fuzz.Failures.Count);
        foreach (var failure in fuzz.Failures.Take(40))
        {
            Report.Line("  failure", failure);
        }

        Report.Line("services healthy afterwards", unhealthy.Count == 0 ? "yes" : string.Join(", ", unhealthy));
        Report.Heading(result.Passed ? "PASSED" : "FAILED");
        return result;
    }

    private List<Door> Survey<TEntryPoint>(string service)
        where TEntryPoint : class
    {
        using var survey = new SurveyHost<TEntryPoint>(stack.Settings(service));
        return [.. DoorSurvey.Doors(survey.Services)];
    }

    /// <summary>A service's application with the running system's configuration and none of its background services: only its endpoints are read.</summary>
    private sealed class SurveyHost<TEntryPoint>(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<TEntryPoint>
        where TEntryPoint : class
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services => services.RemoveAll<IHostedService>());
        }
    }
}
