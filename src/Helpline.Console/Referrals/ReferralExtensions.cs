using Helpline.Console.Accounts;
using Helpline.Console.Referrals;
using MassTransit;

namespace Microsoft.Extensions.Hosting;

internal static class ReferralExtensions
{
    /// <summary>Consent and referrals (docs/referrals.md): the desk that makes and moves them on, and when they are overdue.</summary>
    public static IHostApplicationBuilder AddReferrals(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReferralOptions>().BindConfiguration(ReferralOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<ReferralDesk>();
        return builder;
    }

    /// <summary>Intake's reports on referral emails.</summary>
    public static void AddReferralConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ReferralEmailConsumer>(typeof(ReferralEmailConsumerDefinition));

    public static WebApplication MapReferrals(this WebApplication app)
    {
        var contact = app.MapGroup("/api/contacts/{contactId:guid}").WithTags("Referrals");
        contact.MapGet("/referrals", ReferralEndpoints.GetForContact).RequireAuthorization(Policies.AdvisorOrSupervisor)
            .WithName("GetContactReferrals").WithSummary("The caller's consents and referrals, each with its steps (who, when)");
        contact.MapPost("/consents", ReferralEndpoints.GiveConsent).RequireAuthorization(Policies.Advisor)
            .WithName("GiveReferralConsent").WithSummary("Records the caller's consent: with which service, which fields may be shared; now");
        contact.MapPost("/consents/{consentId:guid}/withdrawal", ReferralEndpoints.WithdrawConsent).RequireAuthorization(Policies.AdvisorOrSupervisor)
            .WithName("WithdrawReferralConsent").WithSummary("Withdraws a consent, and every open referral made under it");
        contact.MapPost("/referrals/preview", ReferralEndpoints.Preview).RequireAuthorization(Policies.Advisor)
            .WithName("PreviewReferral").WithSummary("What a referral to the service would carry (the only fields sent), and why it would be refused");
        contact.MapPost("/referrals", ReferralEndpoints.Make).RequireAuthorization(Policies.Advisor)
            .WithName("MakeReferral").WithSummary("Makes a referral: emailed through Intake, or recorded as made by phone; refused without consent or against the caller's safety");
        var referrals = app.MapGroup("/api/referrals").WithTags("Referrals");
        referrals.MapPost("/{referralId:guid}/status", ReferralEndpoints.ChangeStatus).RequireAuthorization(Policies.AdvisorOrSupervisor)
            .WithName("ChangeReferralStatus").WithSummary("Moves a referral on: accepted, rejected (reason), withdrawn, or done (successful, reason)");
        referrals.MapGet("/open", ReferralEndpoints.ListOpen).RequireAuthorization(Policies.Supervisor)
            .WithName("ListOpenReferrals").WithSummary("Every open referral, overdue ones first");
        return app;
    }
}
