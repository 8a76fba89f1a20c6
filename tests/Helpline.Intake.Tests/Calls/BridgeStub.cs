using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helpline.Intake.Tests.Calls;

/// <summary>One request the bridge stub received: the operation (<c>connect</c>, <c>turn-away</c>, <c>hang-up</c>), the Authorization header and the JSON body.</summary>
public sealed record BridgeRequest(string Operation, string? Authorization, JsonElement Body)
{
    public Guid ContactId => Body.GetProperty("contactId").GetGuid();
}

/// <summary>A PBX bridge on a loopback port: records every request Intake makes and answers 202, or an error while <see cref="FailWith"/> is set.</summary>
public sealed class BridgeStub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BridgeStub(WebApplication app) => _app = app;

    public ConcurrentQueue<BridgeRequest> Requests { get; } = new();

    public int? FailWith { get; set; }

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<BridgeRequest> For(Guid contactId, string operation) =>
        Requests.Where(r => r.Operation == operation && r.ContactId == contactId).ToList();

    public static async Task<BridgeStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new BridgeStub(app);
        app.MapPost("/bridge/{operation}", async (HttpRequest request, string operation) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            stub.Requests.Enqueue(new BridgeRequest(operation, request.Headers.Authorization.ToString(), body));
            return stub.FailWith is { } status ? Results.StatusCode(status) : Results.Accepted();
        });
        await app.StartAsync();
        stub.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
