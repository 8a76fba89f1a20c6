using CsCheck;

namespace Helpline.Testing.Hostile;

/// <summary>
/// Sends hostile cases to doors and checks each answer: never a 5xx, and always an answer; every 4xx of ours is
/// problem details; before and after every refused POST/PUT/DELETE the <see cref="RowCounts"/> are equal. After
/// an accepted write the counts are left to settle. Used by the suite's HostileInputTests and by the fault
/// campaign's hostile mode against a running system.
/// </summary>
public sealed class HostileFuzz(RowCounts rowCounts, Action<string> log, string twilioAuthToken, string twilioPublicBaseUrl)
{
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

    /// <summary>
    /// One round over every door: Console's first, each anonymously (with forged credentials) and, if it states
    /// a policy, as a caller it lets in; then, once the counts settled, Intake's (a call Intake accepts reaches
    /// Console later, which must not look like a write by a refused Console request), the Twilio webhooks with
    /// correctly signed hostile forms.
    /// </summary>
    public async Task RoundAsync(IReadOnlyList<Door> consoleDoors, IReadOnlyList<Door> intakeDoors, FuzzClients clients, string twilioAccountSid, PCG pcg, int casesPerDoor, int anonymousCasesPerDoor)
    {
        ArgumentNullException.ThrowIfNull(consoleDoors);
        ArgumentNullException.ThrowIfNull(intakeDoors);
        ArgumentNullException.ThrowIfNull(clients);
        foreach (var door in consoleDoors)
        {
            await DoorAsync("Console", door, HostileInput.For(door), pcg, clients.AnonymousConsole, door.Policy is null ? casesPerDoor : anonymousCasesPerDoor, forged: true);
            if (door.Policy is null)
            {
                continue;
            }

            if (door.Route == "/api/account/logout")
            {
                // Signing out ends the session: fuzz it with a session of its own, so the other doors keep theirs.
                using var leaving = await clients.Leaving();
                await DoorAsync("Console", door, HostileInput.For(door), pcg, leaving, casesPerDoor, forged: false);
                continue;
            }

            await DoorAsync("Console", door, HostileInput.For(door), pcg, clients.Everyone, casesPerDoor, forged: false);
        }

        await SettleAsync();
        foreach (var door in intakeDoors)
        {
            await DoorAsync("Intake", door, HostileInput.For(door), pcg, clients.AnonymousIntake, door.Policy is null ? casesPerDoor : anonymousCasesPerDoor, forged: true);
            if (door.Route.StartsWith("/twilio/", StringComparison.Ordinal))
            {
                await DoorAsync("Intake", door, HostileInput.TwilioForms(door, twilioAccountSid), pcg, clients.AnonymousIntake, casesPerDoor, forged: false);
            }
            else if (door.Policy is not null)
            {
                await DoorAsync("Intake", door, HostileInput.For(door), pcg, clients.Keyed, casesPerDoor, forged: false);
            }
        }

        await SettleAsync();
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
                log($"{label}: connection closed while sending ({exception.Message})");
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
                        log($"{label}: accepted ({status})");
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

    private Task<string> CountsAsync() => rowCounts.ReadAsync();

    private HttpRequestMessage Message(Door door, HostileRequest request, IEnumerable<(string Name, string Value)> credentials)
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
            message.Headers.Add("X-Twilio-Signature", TwilioSigner.Sign(twilioAuthToken, twilioPublicBaseUrl + request.Path, request.Form));
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

/// <summary>
/// Who the fuzz sends as: nobody, at Console and at Intake; a Console user with every role; a fresh session for
/// the sign-out door; an integration key with every scope.
/// </summary>
public sealed record FuzzClients(HttpClient AnonymousConsole, HttpClient Everyone, Func<Task<HttpClient>> Leaving, HttpClient AnonymousIntake, HttpClient Keyed);
