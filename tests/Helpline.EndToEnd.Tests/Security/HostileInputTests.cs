using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.SignalR;
using System.Reflection;
using System.Text.Json;
using CsCheck;
using Helpline.Console.Data;
using Helpline.Testing;
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

    /// <summary>Tables a request may write (contacts, records, directory, referrals, templates, accounts, keys, calls, mail); not the audit trail (reads are audited) nor presence, journals and outboxes (written by the services' own loops).</summary>
    private static readonly string[] WrittenTables =
    [
        "contacts", "contact_events", "contact_records", "contact_facts", "contact_matches", "closures", "special_closures",
        "directory_services", "directory_changes", "commissioning_bodies", "force_areas", "referrals", "referral_consents", "referral_events",
        "reply_templates", "reply_drafts", "outbound_emails", "users", "user_roles", "user_claims", "user_tokens",
        "inbound_calls", "callback_requests", "integration_keys", "email_conversations", "email_messages", "email_attachments", "quarantined_emails",
    ];

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
        var fuzz = new Fuzz(slice.Database, output);

        var allRoles = await TestAccounts.EnsureUserAsync(slice.Console!.Address, "fuzz-everyone", "Advisor", "Supervisor", "Admin");
        using var everyone = await TestAccounts.ClientAsync(slice.Console.Address, allRoles);
        using var anonymousConsole = slice.Console.CreateHttpClient();
        foreach (var door in DoorSurvey.Doors(slice.Console.Services))
        {
            await fuzz.DoorAsync("Console", door, HostileInput.For(door), pcg, anonymousConsole, door.Policy is null ? CasesPerDoor : AnonymousCasesPerDoor, forged: true);
            if (door.Policy is null)
            {
                continue;
            }

            if (door.Route == "/api/account/logout")
            {
                // Signing out ends the session: fuzz it with a session of its own, so the other doors keep theirs.
                using var leaving = await TestAccounts.ClientAsync(slice.Console.Address, await TestAccounts.EnsureUserAsync(slice.Console.Address, "fuzz-leaving", "Advisor"));
                await fuzz.DoorAsync("Console", door, HostileInput.For(door), pcg, leaving, CasesPerDoor, forged: false);
                continue;
            }

            await fuzz.DoorAsync("Console", door, HostileInput.For(door), pcg, everyone, CasesPerDoor, forged: false);
        }

        // Intake after Console: a call Intake accepts reaches Console later, which must not look like a write by a refused Console request.
        await fuzz.SettleAsync();
        using var anonymousIntake = slice.Intake!.CreateHttpClient();
        using var keyed = await slice.Intake.CreateIntegrationClientAsync([.. IntegrationKeyClients.AllScopes]);
        foreach (var door in DoorSurvey.Doors(slice.Intake.Services))
        {
            await fuzz.DoorAsync("Intake", door, HostileInput.For(door), pcg, anonymousIntake, door.Policy is null ? CasesPerDoor : AnonymousCasesPerDoor, forged: true);
            if (door.Route.StartsWith("/twilio/", StringComparison.Ordinal))
            {
                await fuzz.DoorAsync("Intake", door, HostileInput.TwilioForms(door, AccountSid), pcg, anonymousIntake, CasesPerDoor, forged: false);
            }
            else if (door.Policy is not null)
            {
                await fuzz.DoorAsync("Intake", door, HostileInput.For(door), pcg, keyed, CasesPerDoor, forged: false);
            }
        }

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

    /// <summary>Sends the cases and checks each answer; counts of the written tables before and after each refused write.</summary>
    private sealed class Fuzz(TestDatabase database, ITestOutputHelper output)
    {
        private string? _countSql;

        public List<string> Failures { get; } = [];

        public int Cases { get; private set; }

        public int Refused { get; private set; }

        public int Answered { get; private set; }

        /// <summary>Requests whose connection the server closed while their body was still being sent.</summary>
        public int Closed { get; private set; }

        private static async Task<bool> StillServingAsync(HttpClient client)
        {
            using var live = await client.GetAsync("/health/live");
            return live.IsSuccessStatusCode;
        }

        public async Task DoorAsync(string service, Door door, Gen<HostileRequest> requests, PCG pcg, HttpClient client, int cases, bool forged)
        {
            var writes = door.Method is not ("GET" or "HEAD");
            for (var i = 0; i < cases; i++)
            {
                var request = requests.Generate(pcg, null, out _);
                var credentials = forged ? HostileInput.ForgedCredentials.Generate(pcg, null, out _) : [];
                var before = writes ? await CountsAsync() : null;
                var label = $"{service} {door.Method} {Shorten(request.Path)} [{(forged ? "anonymous" : "authorised")}] {request.Label}";
                Cases++;
                HttpResponseMessage response;
                try
                {
                    using var message = Message(door, request, credentials);
                    response = await client.SendAsync(message);
                }
                catch (HttpRequestException exception)
                {
                    // Kestrel may answer a request it refuses before reading its body, then close the
                    // connection while the client is still sending it: the client sees a send error, not the
                    // answer. Acceptable for a request with a body when nothing was written and the service
                    // still answers; anything else is a failure.
                    if (request.Body is not { Length: > 0 } || !await StillServingAsync(client))
                    {
                        Failures.Add($"{label}: no answer ({exception.Message})");
                    }
                    else if (writes && await CountsAsync() is var after && after != before)
                    {
                        Failures.Add($"{label}: connection closed ({exception.Message}) but wrote rows ({before} -> {after})");
                    }

                    Closed++;
                    output.WriteLine($"{label}: connection closed while sending ({exception.Message})");
                    continue;
                }

                using (response)
                {
                    var status = (int)response.StatusCode;
                    if (status >= 500)
                    {
                        Failures.Add($"{label}: {status}");
                    }
                    else if (status >= 400)
                    {
                        Refused++;
                        if (Ours(door, request, response) && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                        {
                            Failures.Add($"{label}: {status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}, not problem details");
                        }

                        if (writes && await CountsAsync() is var after && after != before)
                        {
                            Failures.Add($"{label}: refused with {status} but wrote rows ({before} -> {after})");
                        }
                    }
                    else
                    {
                        Answered++;
                        if (writes)
                        {
                            output.WriteLine($"{label}: accepted ({status})");
                            await SettleAsync();
                        }
                    }
                }
            }
        }

        /// <summary>Waits until the counts stop moving (what an accepted request set off has landed).</summary>
        public async Task SettleAsync()
        {
            var previous = await CountsAsync();
            await Eventually.WaitAsync(
                async () =>
                {
                    await Task.Delay(100);
                    var now = await CountsAsync();
                    var stable = now == previous;
                    previous = now;
                    return stable;
                },
                stable => stable,
                TimeSpan.FromSeconds(30),
                "the row counts to settle after an accepted request");
        }

        private async Task<string> CountsAsync()
        {
            _countSql ??= await CountSqlAsync();
            return await database.TextAsync(_countSql) ?? "";
        }

        private async Task<string> CountSqlAsync()
        {
            var names = string.Join(",", WrittenTables.Select(t => $"'{t}'"));
            var tables = await database.TextAsync(
                $"SELECT string_agg(format('(SELECT count(*) FROM %I.%I)', table_schema, table_name), ' || '','' || ' ORDER BY table_schema, table_name) FROM information_schema.tables WHERE table_schema IN ('console', 'intake') AND table_name IN ({names})");
            return "SELECT " + tables;
        }

        private static HttpRequestMessage Message(Door door, HostileRequest request, IEnumerable<(string Name, string Value)> credentials)
        {
            var message = new HttpRequestMessage(new HttpMethod(door.Method), request.Path);
            if (request.Body is not null)
            {
                message.Content = new ByteArrayContent(request.Body);
                message.Content.Headers.ContentType = null;
                if (request.ContentType is not null)
                {
                    message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
                }
            }

            foreach (var (name, value) in request.Headers.Concat(credentials))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            if (request.Form is not null)
            {
                message.Headers.Add("X-Twilio-Signature", TwilioSigner.Sign(AuthToken, PublicBaseUrl + request.Path, request.Form));
            }

            return message;
        }

        /// <summary>
        /// Whether the refusal is one of our endpoints' (which must be problem details): not Kestrel's own
        /// (a request line or headers it will not parse: 414, 431, or a 4xx with no body at all, which the
        /// status-code-pages middleware would have filled), not SignalR's transport, and not to a caller whose
        /// Accept header excludes JSON (content negotiation then answers the problem as text/plain).
        /// </summary>
        private static bool Ours(Door door, HostileRequest request, HttpResponseMessage response) =>
            (int)response.StatusCode is not (414 or 431)
            && !(response.Content.Headers.ContentType is null && response.Content.Headers.ContentLength == 0)
            && !door.Route.StartsWith("/hubs/", StringComparison.Ordinal)
            && !request.Headers.Any(h => h.Name == "Accept" && !h.Value.Contains("json", StringComparison.Ordinal) && !h.Value.StartsWith("*/*", StringComparison.Ordinal));

        private static string Shorten(string path) => path.Length > 80 ? path[..80] + $"…({path.Length})" : path;
    }
}
