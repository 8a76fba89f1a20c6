using System.Net;
using System.Reflection;
using System.Text;
using Helpline.Console.Data;
using Helpline.Testing;
using Helpline.Testing.Hostile;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.EndToEnd.Tests.Security;

/// <summary>
/// The test that cannot be forgotten: every endpoint of the running Console and Intake (read from their
/// own endpoint metadata) and every hub method (by reflection) states a policy, and each refuses an
/// anonymous caller (401) and every wrong role or integration scope (403). An endpoint without a
/// policy fails here unless it is in the allow-list below, each with the reason it is open.
/// </summary>
public sealed class EveryDoorTests
{
    private static readonly string[] Roles = ["Advisor", "Supervisor", "Admin"];

    /// <summary>Deliberately anonymous doors, and why each is open.</summary>
    private static readonly Dictionary<string, string> ConsoleAnonymous = new(StringComparer.Ordinal)
    {
        ["/health/live"] = "liveness for the orchestrator; says nothing but 'running'",
        ["/health/ready"] = "readiness for the orchestrator and load balancer; names the checks, no data",
        ["/metrics"] = "Prometheus scrape; counts by outcome only, never caller data; in Production only on the management port",
        ["/openapi/{documentName}.json"] = "the API description, no data; in Production only on the management port",
        ["/api/account/login"] = "sign-in itself",
        ["/api/account/refresh"] = "the refresh token in the body is the credential, single-use, refused once used or once its session has ended (SessionTests)",
    };

    private static readonly Dictionary<string, string> IntakeAnonymous = new(StringComparer.Ordinal)
    {
        ["/health/live"] = "liveness for the orchestrator",
        ["/health/ready"] = "readiness for the orchestrator and load balancer",
        ["/metrics"] = "Prometheus scrape; counts by outcome only",
        ["/openapi/{documentName}.json"] = "the API description, no data",
        ["/api/opening-hours"] = "the hours the helpline publishes on its website anyway; rate limited per client address (OpeningHoursLimitTests)",
        ["/twilio/voice/incoming"] = "Twilio: authenticated by its X-Twilio-Signature (TwilioWebhookFilter), proved below",
        ["/twilio/voice/status"] = "Twilio, signed",
        ["/twilio/voice/wait"] = "Twilio, signed",
        ["/twilio/voice/dial-ended"] = "Twilio, signed",
        ["/twilio/voice/callback"] = "Twilio, signed",
    };

    private static Dictionary<string, string?> TwilioSettings() => new()
    {
        ["Telephony:Provider"] = "Twilio",
        ["Twilio:AccountSid"] = "AC00000000000000000000000000000000",
        ["Twilio:AuthToken"] = "an-auth-token-for-the-door-test",
        ["Twilio:PublicBaseUrl"] = "https://helpline.example",
        ["Twilio:ApiBaseUrl"] = "http://127.0.0.1:9",
    };

    private static HttpRequestMessage Request(Door door) =>
        new(new HttpMethod(door.Method), door.Path)
        {
            Content = door.Method is "GET" or "HEAD" or "DELETE" ? null : new StringContent("{}", Encoding.UTF8, door.ContentType),
        };

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, Door door)
    {
        using var request = Request(door);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Every_Console_and_Intake_endpoint_refuses_anonymous_callers_and_every_wrong_role_or_scope()
    {
        await using var slice = (await Slice.CreateAsync(settings: TwilioSettings())).StartConsole().StartIntake();
        var console = slice.Console!;
        var intake = slice.Intake!;
        var failures = new List<string>();

        var consoleDoors = DoorSurvey.Doors(console.Services);
        var intakeDoors = DoorSurvey.Doors(intake.Services);
        Assert.Contains(consoleDoors, d => d.Route == "/api/closures");
        Assert.Contains(intakeDoors, d => d.Route == "/api/calls/{providerCallId}/hangup");
        Assert.Contains(intakeDoors, d => d.Route == "/twilio/voice/incoming");
        failures.AddRange(DoorSurvey.Unguarded(consoleDoors, ConsoleAnonymous).Select(d => $"Console {d}: states no policy"));
        failures.AddRange(DoorSurvey.UnexplainedAnonymous(consoleDoors, ConsoleAnonymous).Select(d => $"Console {d}: anonymous without a stated reason"));
        failures.AddRange(DoorSurvey.Unguarded(intakeDoors, IntakeAnonymous).Select(d => $"Intake {d}: states no policy"));
        failures.AddRange(DoorSurvey.UnexplainedAnonymous(intakeDoors, IntakeAnonymous).Select(d => $"Intake {d}: anonymous without a stated reason"));

        // Console: anonymous, then one account per role.
        using var anonymousConsole = console.CreateHttpClient();
        var roleClients = new Dictionary<string, HttpClient>();
        foreach (var role in Roles)
        {
            roleClients[role] = await TestAccounts.ClientAsync(console.Address, await TestAccounts.EnsureUserAsync(console.Address, $"door-{role.ToLowerInvariant()}", role));
        }

        foreach (var door in consoleDoors.Where(d => d.Policy is not null))
        {
            if (await SendAsync(anonymousConsole, door) is not HttpStatusCode.Unauthorized and var status)
            {
                failures.Add($"Console {door} [{door.Policy}] answered an anonymous caller {(int)status}");
            }

            var audience = await DoorSurvey.AudienceAsync(console.Services, door.Policy!);
            foreach (var role in Roles.Where(r => audience.Roles is { } allowed && !allowed.Contains(r)))
            {
                if (await SendAsync(roleClients[role], door) is not HttpStatusCode.Forbidden and var refused)
                {
                    failures.Add($"Console {door} [{door.Policy}] answered a {role} {(int)refused}");
                }
            }
        }

        // Intake: anonymous, then a key with each single scope.
        using var anonymousIntake = intake.CreateHttpClient();
        var scopeClients = new Dictionary<string, HttpClient>();
        foreach (var scope in IntegrationKeyClients.AllScopes)
        {
            scopeClients[scope] = await intake.CreateIntegrationClientAsync(scope);
        }

        foreach (var door in intakeDoors.Where(d => d.Policy is not null))
        {
            if (await SendAsync(anonymousIntake, door) is not HttpStatusCode.Unauthorized and var status)
            {
                failures.Add($"Intake {door} [{door.Policy}] answered an anonymous caller {(int)status}");
            }

            var audience = await DoorSurvey.AudienceAsync(intake.Services, door.Policy!);
            if (audience.Scopes is null)
            {
                failures.Add($"Intake {door} [{door.Policy}] requires no integration scope");
                continue;
            }

            foreach (var scope in IntegrationKeyClients.AllScopes.Where(s => !audience.Scopes.Contains(s)))
            {
                if (await SendAsync(scopeClients[scope], door) is not HttpStatusCode.Forbidden and var refused)
                {
                    failures.Add($"Intake {door} [{door.Policy}] answered a key with scope {scope} {(int)refused}");
                }
            }
        }

        // Twilio's doors are open to the internet but refuse what Twilio did not sign.
        foreach (var door in intakeDoors.Where(d => d.Route.StartsWith("/twilio/", StringComparison.Ordinal)))
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["CallSid"] = "CA0", ["To"] = "+448088020300" });
            using var response = await anonymousIntake.PostAsync(door.Path, form);
            if (response.StatusCode != HttpStatusCode.Forbidden)
            {
                failures.Add($"Intake {door} answered an unsigned request {(int)response.StatusCode}");
            }
        }

        foreach (var client in roleClients.Values.Concat(scopeClients.Values))
        {
            client.Dispose();
        }

        Assert.True(failures.Count == 0, "Doors not locked:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_hub_method_states_a_policy_and_refuses_anonymous_callers_and_every_wrong_role()
    {
        await using var slice = (await Slice.CreateAsync()).StartConsole();
        var console = slice.Console!;
        var methods = DoorSurvey.HubMethods(typeof(ConsoleDbContext).Assembly);
        var failures = methods.Where(m => m.Policy is null).Select(m => $"{m.Hub.Name}.{m.Method.Name} states no policy").ToList();
        Assert.Contains(methods, m => m.Method.Name == "AcceptOffer");
        Assert.Contains(methods, m => m.Method.Name == "SetAdvisorStatus");

        var tokens = new Dictionary<string, string>();
        foreach (var role in Roles)
        {
            tokens[role] = await TestAccounts.EnsureUserAsync(console.Address, $"hub-{role.ToLowerInvariant()}", role);
        }

        foreach (var hub in methods.Where(m => m.Policy is not null).GroupBy(m => m.Hub))
        {
            var path = (string)hub.Key.GetField("Path", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            var hubPolicy = hub.Key.GetCustomAttribute<Microsoft.AspNetCore.Authorization.AuthorizeAttribute>()?.Policy;
            if (hubPolicy is null)
            {
                failures.Add($"{hub.Key.Name} has no hub-wide policy: a connection is open to anyone signed in");
                continue;
            }

            if (await ConnectAsync(console.Address, path, token: null) is not HttpStatusCode.Unauthorized and var anonymous)
            {
                failures.Add($"{hub.Key.Name} let an anonymous caller connect ({anonymous})");
            }

            var hubAudience = await DoorSurvey.AudienceAsync(console.Services, hubPolicy);
            foreach (var (method, _, policy) in hub.Select(m => (m.Method, m.Hub, m.Policy!)))
            {
                var audience = await DoorSurvey.AudienceAsync(console.Services, policy);
                foreach (var role in Roles.Where(r => audience.Roles is { } allowed && !allowed.Contains(r)))
                {
                    if (hubAudience.Roles is { } connect && !connect.Contains(role))
                    {
                        if (await ConnectAsync(console.Address, path, tokens[role]) is not HttpStatusCode.Forbidden and var refused)
                        {
                            failures.Add($"{hub.Key.Name}.{method.Name}: a {role} could connect ({refused})");
                        }
                    }
                    else if (!await InvocationRefusedAsync(console.Address, path, tokens[role], method))
                    {
                        failures.Add($"{hub.Key.Name}.{method.Name}: a {role} could invoke it");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, "Hub methods not locked:\n" + string.Join("\n", failures));
    }

    /// <summary>The survey itself: an endpoint mapped without a policy is reported, so a forgotten one fails the suite.</summary>
    [Fact]
    public async Task An_endpoint_without_a_policy_is_reported()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddAuthorization();
        await using var app = builder.Build();
        app.MapGet("/guarded", () => "x").RequireAuthorization("Somebody");
        app.MapGet("/forgotten", () => "x");
        app.MapGet("/open", () => "x").AllowAnonymous();
        app.MapGet("/health/live", () => "x");

        var doors = DoorSurvey.Doors(((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints));

        Assert.Equal(["/forgotten", "/open"], DoorSurvey.Unguarded(doors, ConsoleAnonymous).Select(d => d.Route).Order());
        Assert.Equal(["/open"], DoorSurvey.UnexplainedAnonymous(doors, ConsoleAnonymous).Select(d => d.Route));
    }

    /// <summary>The status of the refused negotiation, or null when the connection opened.</summary>
    private static async Task<HttpStatusCode?> ConnectAsync(Uri console, string path, string? token)
    {
        await using var connection = Connection(console, path, token);
        try
        {
            await connection.StartAsync();
            return null;
        }
        catch (HttpRequestException exception)
        {
            return exception.StatusCode;
        }
    }

    private static async Task<bool> InvocationRefusedAsync(Uri console, string path, string token, MethodInfo method)
    {
        await using var connection = Connection(console, path, token);
        await connection.StartAsync();
        var arguments = method.GetParameters().Select(p => Placeholder(p.ParameterType)).ToArray();
        try
        {
            await connection.InvokeCoreAsync(method.Name, typeof(object), arguments);
            return false;
        }
        catch (HubException exception)
        {
            return exception.Message.Contains("unauthorized", StringComparison.OrdinalIgnoreCase);
        }
    }

    private static object? Placeholder(Type type) =>
        type == typeof(string) ? "x" : type == typeof(Guid) ? Guid.NewGuid() : type.IsValueType ? Activator.CreateInstance(type) : null;

    private static HubConnection Connection(Uri console, string path, string? token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(console, path), options =>
            {
                if (token is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .Build();
}
