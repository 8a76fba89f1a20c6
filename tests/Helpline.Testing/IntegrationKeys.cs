using System.Net.Http.Headers;
using Helpline.Intake.Data;
using Helpline.Intake.Integrations;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Testing;

/// <summary>Intake's provider-neutral API as an integration uses it: with a key of its own, created the way the admin's command creates one.</summary>
public static class IntegrationKeyClients
{
    /// <summary>Both scopes: what a PBX bridge that offers callbacks holds.</summary>
    public static readonly string[] AllScopes = ["calls", "callbacks"];

    /// <summary>A new key (uniquely named) with <paramref name="scopes"/>; its text, as the integration would hold it.</summary>
    public static async Task<string> CreateIntegrationKeyAsync(this WebApplicationFactory<IntakeDbContext> intake, params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(intake);
        await using var scope = intake.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IntegrationKeys>().CreateAsync($"test-{Guid.NewGuid():N}", scopes.Length == 0 ? AllScopes : scopes, CancellationToken.None)
            ?? throw new InvalidOperationException("A fresh key name was taken.");
    }

    /// <summary>A client of Intake sending a new key with <paramref name="scopes"/> (both when none are given).</summary>
    public static async Task<HttpClient> CreateIntegrationClientAsync(this ServiceHost<IntakeDbContext> intake, params string[] scopes)
    {
        var key = await intake.CreateIntegrationKeyAsync(scopes);
        return intake.CreateHttpClient().SendingKey(key);
    }

    /// <summary>Sends <paramref name="key"/> on every request of <paramref name="client"/>.</summary>
    public static HttpClient SendingKey(this HttpClient client, string key)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
