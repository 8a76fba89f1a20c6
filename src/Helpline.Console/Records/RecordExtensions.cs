using Helpline.Console.Accounts;
using Helpline.Console.Records;
using Helpline.ServiceDefaults.Security;
using Microsoft.AspNetCore.Mvc;

namespace Microsoft.Extensions.Hosting;

internal static class RecordExtensions
{
    /// <summary>The contact record: reference data and questionnaire (embedded), validation, encryption of personal fields.</summary>
    public static IHostApplicationBuilder AddContactRecords(this IHostApplicationBuilder builder)
    {
        builder.Services.AddFieldEncryption();
        builder.Services.AddSingleton<AreaDirectory>();
        builder.Services.AddSingleton<RiskScreening>();
        builder.Services.AddSingleton<RecordValidator>();
        builder.Services.AddScoped<ContactRecords>();
        return builder;
    }

    /// <summary>
    /// The contact record (docs/api.md, "Contact record"): areas and the risk questionnaire to fill it
    /// with, the record itself (autosaved whole, with optimistic concurrency on its revision), and the
    /// caller's earlier contacts.
    /// </summary>
    public static WebApplication MapContactRecords(this WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("Contact record");
        api.MapGet("/areas", RecordEndpoints.SearchAreas)
            .RequireAuthorization(Policies.AnyRole)
            .WithName("SearchAreas")
            .WithSummary("Local authorities and police forces whose name starts with or contains q");
        api.MapGet("/risk-screening", RecordEndpoints.GetQuestionnaire)
            .RequireAuthorization(Policies.AdvisorOrSupervisor)
            .WithName("GetRiskScreening")
            .WithSummary("The current risk screening questionnaire");
        var contact = api.MapGroup("/contacts/{contactId:guid}");
        contact.MapGet("/record", RecordEndpoints.GetRecord)
            .RequireAuthorization(Policies.AdvisorOrSupervisor)
            .WithName("GetContactRecord")
            .WithSummary("The contact's record (revision 0 and empty when nothing is saved yet); ETag is the revision");
        contact.MapPut("/record", RecordEndpoints.PutRecord)
            .RequireAuthorization(Policies.Advisor)
            .WithMetadata(new RequestSizeLimitAttribute(RecordLimits.MaxBodyBytes))
            .WithName("PutContactRecord")
            .WithSummary("Saves the whole record; If-Match must carry the revision it was based on");
        contact.MapGet("/history", RecordEndpoints.GetHistory)
            .RequireAuthorization(Policies.AdvisorOrSupervisor)
            .WithName("GetContactHistory")
            .WithSummary("Earlier contacts from the same caller (same keyed hash of the number), without notes or personal details");
        return app;
    }
}
