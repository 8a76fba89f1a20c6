using System.Net.Http.Headers;

namespace Helpline.Intake.Tests;

/// <summary>Requests as a careless or hostile client sends them, for the tests of what Intake refuses.</summary>
internal static class RawRequests
{
    /// <summary>Posts <paramref name="body"/> as it is, under the content type given (a wrong one too).</summary>
    public static async Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string contentType, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await client.PostAsync(path, content);
    }

    /// <summary>How many outbox rows are about the contact.</summary>
    public static Task<long> OutboxRowsAsync(this TestDatabase database, Guid contactId) =>
        database.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE payload->>'contactId' = '{contactId}'");
}
