using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helpline.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpline.EndToEnd.Tests;

/// <summary>A referral by email from the advisor's record to the real SMTP test server, through Console's outbox and Intake's one sender.</summary>
public sealed class ReferralEmailTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_email_referral_arrives_at_the_SMTP_server_with_the_allowed_fields_and_none_of_the_others()
    {
        var smtp = TestSmtp.Shared();
        await using var slice = (await Slice.CreateAsync(settings: smtp.IntakeSettings())).StartConsole().StartIntake();
        var console = slice.Console!.Address;
        var marker = Guid.NewGuid().ToString("N")[..10];
        var address = $"referrals.{marker}@advocacy.example.org";
        using var admin = await TestAccounts.ClientAsync(console, await TestAccounts.EnsureUserAsync(console, "adele", "Admin"));
        var service = new
        {
            provider = "Sussex Email Advocacy",
            name = "Sussex email advocacy",
            areas = new[] { "E23000033" },
            referralMethod = "secureEmail",
            referralEmail = address,
            referralFields = new[] { "callbackNumber", "voicemailAllowed", "area", "riskBand", "summary" },
            status = "accepting",
        };
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/directory/services/sussex-email-advocacy") { Content = JsonContent.Create(service) };
        put.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(put)).StatusCode);

        await using var advisor = await slice.AvailableAdvisorAsync("alice");
        var contactId = await slice.PostCallAsync($"e2e-{marker}");
        var offer = await advisor.WaitForOfferAsync(contactId, Timeout);
        await advisor.Connection.InvokeAsync("AcceptOffer", offer.GetProperty("offerId").GetInt64());
        await advisor.WaitForAsync("ContactAssigned", a => a.GetProperty("contactId").GetGuid() == contactId, Timeout);
        using var http = await TestAccounts.ClientAsync(console, await TestAccounts.LoginAsync(console, "alice"));
        var record = new
        {
            relationship = "friendOrAcquaintance",
            ageGroup = "25to64",
            gender = "female",
            riskScreening = new { version = 1, answers = Enumerable.Range(1, 11).ToDictionary(i => $"q{i}", i => i <= 2) },
            safety = new { safeToCallBack = true, callbackNumber = "07700 900777", safeTimes = $"After six {marker}", voicemailAllowed = false, safeToEmail = true, email = $"caller.{marker}@example.org" },
            area = new { localAuthorityCode = "E06000043" },
            needs = new[] { "referral" },
            notes = $"Private notes {marker}",
            urgent = false,
        };
        using var save = new HttpRequestMessage(HttpMethod.Put, $"/api/contacts/{contactId}/record") { Content = JsonContent.Create(record) };
        save.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(save)).StatusCode);
        var consent = await http.PostAsJsonAsync($"/api/contacts/{contactId}/consents", new { serviceId = "sussex-email-advocacy", fields = service.referralFields });
        Assert.Equal(HttpStatusCode.Created, consent.StatusCode);

        var made = await http.PostAsJsonAsync($"/api/contacts/{contactId}/referrals", new { serviceId = "sussex-email-advocacy", name = $"Name {marker}", summary = $"Followed to work {marker}." });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);

        var message = Assert.Single(await Eventually.WaitAsync(
            () => Task.FromResult(smtp.Received(m => m.To.Mailboxes.Any(b => b.Address == address))),
            found => found.Count > 0,
            Timeout,
            "the referral at the SMTP server"));
        Assert.StartsWith("Referral from the National Stalking Helpline (ref. ", message.Subject, StringComparison.Ordinal);
        var raw = Directory.EnumerateFiles(Path.Combine(smtp.Maildir, "new")).Select(File.ReadAllText).Single(t => t.Contains(address, StringComparison.Ordinal));
        Assert.Contains("07700 900777", raw, StringComparison.Ordinal);
        var text = message.TextBody;
        Assert.Contains("Number to call back on: 07700 900777", text, StringComparison.Ordinal);
        Assert.Contains("Voicemail may be left: No", text, StringComparison.Ordinal);
        Assert.Contains("Area: Brighton and Hove, Sussex Police area", text, StringComparison.Ordinal);
        Assert.Contains("Risk screening: standard", text, StringComparison.Ordinal);
        Assert.Contains($"Summary: Followed to work {marker}.", text, StringComparison.Ordinal);
        foreach (var unsent in new[] { $"Name {marker}", $"After six {marker}", $"caller.{marker}", $"Private notes {marker}", "Friend or acquaintance", "25 to 64", "Female" })
        {
            Assert.DoesNotContain(unsent, raw, StringComparison.Ordinal);
            Assert.DoesNotContain(unsent, text, StringComparison.Ordinal);
        }

        var referral = await Eventually.WaitAsync(
            async () => (await http.GetFromJsonAsync<JsonElement>($"/api/contacts/{contactId}/referrals")).GetProperty("referrals")[0],
            r => r.GetProperty("emailStatus").GetString() == "sent",
            Timeout,
            "Intake's EmailSent recorded on the referral");
        Assert.Equal(["made", "emailSent"], referral.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("type").GetString()));
        Assert.Equal(message.MessageId, await slice.Database.TextAsync($"SELECT email_message_id FROM console.referrals WHERE contact_id = '{contactId}'"));
    }
}
