using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Helpline.Intake.Tests.Telephony;

/// <summary>One request the stub received: path, basic-auth header and form fields.</summary>
public sealed record StubRequest(string Method, string Path, string? Authorization, IReadOnlyDictionary<string, string> Form);

/// <summary>
/// Twilio's REST API for one endpoint (update a call), on a loopback port: it records every request and
/// answers like Twilio, or with an error while <see cref="FailWith"/> is set.
/// </summary>
public sealed class TwilioRestStub : LoopbackStub
{
    public ConcurrentQueue<StubRequest> Requests { get; } = new();

    /// <summary>HTTP status to fail with, or null to succeed.</summary>
    public int? FailWith { get; set; }

    /// <summary>Twilio's error code in the failure's body.</summary>
    public int FailCode { get; set; } = 20500;

    public static async Task<TwilioRestStub> StartAsync()
    {
        var stub = new TwilioRestStub();
        await stub.ListenAsync(app => app.MapPost("/2010-04-01/Accounts/{account}/Calls/{call}.json", async (HttpRequest request, string account, string call) =>
        {
            var form = await request.ReadFormAsync();
            stub.Requests.Enqueue(new StubRequest(
                request.Method,
                request.Path.Value!,
                request.Headers.Authorization.ToString(),
                form.ToDictionary(f => f.Key, f => f.Value.ToString())));
            return stub.FailWith is { } status
                ? Results.Json(new { code = stub.FailCode, message = "Stub failure", more_info = "https://www.twilio.com/docs/errors/20500", status }, statusCode: status)
                : Results.Json(new { sid = call, account_sid = account, status = "in-progress", api_version = "2010-04-01" });
        }));
        return stub;
    }
}
