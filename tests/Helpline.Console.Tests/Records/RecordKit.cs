using System.Net.Http.Headers;

namespace Helpline.Console.Tests.Records;

/// <summary>An advisor on a call, with an HTTP client signed in as them, for the record's tests.</summary>
internal sealed record OnCall(AdvisorClient Advisor, Guid ContactId, HttpClient Http) : IDisposable
{
    public string RecordPath => $"/api/contacts/{ContactId}/record";

    public void Dispose() => Http.Dispose();
}

internal static class RecordKit
{
    public static readonly TimeSpan Timeout = ConsoleRig.Timeout;

    /// <summary>Signs <paramref name="name"/> in, makes them Available, rings a call at them and accepts it.</summary>
    public static async Task<OnCall> AdvisorOnCallAsync(this ConsoleRig rig, string name, bool withheld = false)
    {
        var advisor = await rig.AvailableAdvisorAsync(name);
        var contactId = await rig.CallAsync(withheld);
        await AcceptAsync(advisor, contactId);
        return new OnCall(advisor, contactId, await ClientForAsync(rig, name, "Advisor"));
    }

    public static async Task<JsonElement> AcceptAsync(AdvisorClient advisor, Guid contactId)
    {
        var offer = await advisor.WaitForOfferAsync(contactId, Timeout);
        await advisor.Connection.InvokeAsync("AcceptOffer", offer.GetProperty("offerId").GetInt64());
        return await advisor.WaitForAsync("ContactAssigned", a => a.GetProperty("contactId").GetGuid() == contactId, Timeout);
    }

    /// <summary>An HTTP client with a bearer token for <paramref name="name"/> (created with <paramref name="role"/> if new).</summary>
    public static async Task<HttpClient> ClientForAsync(ConsoleRig rig, string name, string role) =>
        await TestAccounts.ClientAsync(rig.Console.Address, await TestAccounts.EnsureUserAsync(rig.Console.Address, name, role));

    public static Task<HttpResponseMessage> PutAsync(this HttpClient http, string path, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PutRawAsync(this HttpClient http, string path, string body, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(body, new MediaTypeHeaderValue("application/json")) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return http.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>A full, valid record as the browser sends it.</summary>
    public static object FullDraft(int yesAnswers = 2, bool urgent = false, string notes = "Caller describes repeated visits.") => new
    {
        four = new { fixated = true, obsessive = true, unwanted = true, repeated = true },
        isStalking = true,
        relationship = "exPartner",
        reportedToPolice = "no",
        riskScreening = new
        {
            version = 1,
            answers = Enumerable.Range(1, 11).ToDictionary(i => $"q{i}", i => i <= yesAnswers),
            score = 0,
            band = "standard",
        },
        safety = new
        {
            safeToCallBack = true,
            callbackNumber = "07700 900123",
            safeTimes = "Weekdays after 6pm",
            voicemailAllowed = false,
            safeToEmail = true,
            email = "caller@example.org",
        },
        area = new { localAuthorityCode = "E08000035", policeForceCode = (string?)null },
        needs = new[] { "information", "safetyPlanning" },
        outcomes = new[] { "informationGiven", "callbackArranged" },
        notes,
        urgent,
    };
}
