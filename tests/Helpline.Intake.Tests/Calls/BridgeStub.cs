using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Helpline.Intake.Tests.Calls;

/// <summary>One request the bridge stub received: the operation (<c>connect</c>, <c>turn-away</c>, <c>hang-up</c>), the Authorization header and the JSON body.</summary>
public sealed record BridgeRequest(string Operation, string? Authorization, JsonElement Body)
{
    public Guid ContactId => Body.GetProperty("contactId").GetGuid();
}

/// <summary>A PBX bridge on a loopback port: records every request Intake makes and answers 202, or an error while <see cref="FailWith"/> is set.</summary>
public sealed class BridgeStub : LoopbackStub
{
    public ConcurrentQueue<BridgeRequest> Requests { get; } = new();

    public int? FailWith { get; set; }

    public IReadOnlyList<BridgeRequest> For(Guid contactId, string operation) =>
        Requests.Where(r => r.Operation == operation && r.ContactId == contactId).ToList();

    public static async Task<BridgeStub> StartAsync()
    {
        var stub = new BridgeStub();
        await stub.ListenAsync(app => app.MapPost("/bridge/{operation}", async (HttpRequest request, string operation) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            stub.Requests.Enqueue(new BridgeRequest(operation, request.Headers.Authorization.ToString(), body));
            return stub.FailWith is { } status ? Results.StatusCode(status) : Results.Accepted();
        }));
        return stub;
    }
}
