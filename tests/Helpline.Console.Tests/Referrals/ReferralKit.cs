using Helpline.Console.Tests.Directory;
using Helpline.Console.Tests.Records;

namespace Helpline.Console.Tests.Referrals;

internal static class ReferralKit
{
    public static readonly string[] VeritasFields = ["name", "callbackNumber", "safeTimes", "voicemailAllowed", "area", "relationship", "riskBand", "summary"];

    /// <summary>A Sussex caller stalked by an acquaintance, safe to call back on a number, not safe to email.</summary>
    public static object SussexCaller(bool safeToCallBack = true) => new
    {
        relationship = "friendOrAcquaintance",
        ageGroup = "25to64",
        gender = "female",
        reportedToPolice = "no",
        riskScreening = new { version = 1, answers = Enumerable.Range(1, 11).ToDictionary(i => $"q{i}", i => i <= 2) },
        safety = new
        {
            safeToCallBack,
            callbackNumber = safeToCallBack ? "07700 900123" : null,
            safeTimes = safeToCallBack ? "Weekdays after 6pm" : null,
            voicemailAllowed = false,
            safeToEmail = false,
            email = (string?)null,
        },
        area = new { localAuthorityCode = DirectoryKit.BrightonAndHove, policeForceCode = (string?)null },
        needs = new[] { "referral", "advocacy" },
        notes = "Private advisor notes: never in a referral.",
        urgent = false,
    };

    public static async Task SaveAsync(OnCall call, object draft, int revision = 0)
    {
        var saved = await call.Http.PutAsync(call.RecordPath, draft, $"\"{revision}\"");
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
    }

    public static async Task<JsonElement> ConsentAsync(OnCall call, string serviceId, string[] fields)
    {
        var response = await call.Http.PostAsJsonAsync($"/api/contacts/{call.ContactId}/consents", new { serviceId, fields });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    public static Task<HttpResponseMessage> ReferAsync(HttpClient http, Guid contactId, string serviceId, string? name = "Sam Caller", string? summary = "Followed to work for months.") =>
        http.PostAsJsonAsync($"/api/contacts/{contactId}/referrals", new { serviceId, name, summary });

    public static Task<HttpResponseMessage> StepAsync(HttpClient http, Guid referralId, string status, bool? successful = null, string? reason = null) =>
        http.PostAsJsonAsync($"/api/referrals/{referralId}/status", new { status, successful, reason });
}
