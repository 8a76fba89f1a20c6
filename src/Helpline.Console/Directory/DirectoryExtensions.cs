using Helpline.Console.Accounts;
using Helpline.Console.Directory;
using Microsoft.AspNetCore.Mvc;

namespace Microsoft.Extensions.Hosting;

internal static class DirectoryExtensions
{
    /// <summary>The directory of services (held in memory, reloaded when it changes), its validation and editing, and matching callers to services.</summary>
    public static IHostApplicationBuilder AddServiceDirectory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DirectoryCatalog>();
        builder.Services.AddSingleton<ServiceValidator>();
        builder.Services.AddScoped<DirectoryEditor>();
        builder.Services.AddScoped<ContactMatchRecorder>();
        builder.Services.AddOptions<PostcodeLookupOptions>().BindConfiguration(PostcodeLookupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient<IPostcodeLookup, PostcodesIoLookup>((services, http) =>
        {
            var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PostcodeLookupOptions>>().Value;
            if (options.BaseUrl is { } baseUrl)
            {
                http.BaseAddress = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/");
            }

            http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        });
        return builder;
    }

    /// <summary>
    /// The directory (docs/directory.md, docs/api.md "Directory"): advisors, supervisors and admins
    /// read it; admins change it, one entry at a time or by CSV import; supervisors and admins read its
    /// history and export it (CSV, JSON, Open Referral HSDS 3); and the services matched to a contact.
    /// </summary>
    public static WebApplication MapServiceDirectory(this WebApplication app)
    {
        var api = app.MapGroup("/api/directory").WithTags("Directory");
        api.MapGet("/services", DirectoryEndpoints.ListServices).RequireAuthorization(Policies.AnyRole)
            .WithName("ListServices").WithSummary("Every service in the directory (the JSON export), by name; q filters on name, provider or area");
        api.MapGet("/services.csv", DirectoryEndpoints.ExportCsv).RequireAuthorization(Policies.SupervisorOrAdmin)
            .WithName("ExportServicesCsv").WithSummary("The directory as CSV, in the import format");
        api.MapGet("/hsds/services", DirectoryEndpoints.ExportHsds).RequireAuthorization(Policies.SupervisorOrAdmin)
            .WithName("ExportServicesHsds").WithSummary("The directory as Open Referral HSDS 3.0 (UK profile) services, one page holding all");
        api.MapGet("/match", DirectorySearchEndpoints.Match).RequireAuthorization(Policies.AnyRole)
            .WithName("MatchServices").WithSummary("Services for a caller described by area, relationship and risk band (the directory screen's search), ranked, with why the others do not match");
        api.MapGet("/services/{id}", DirectoryEndpoints.GetService).RequireAuthorization(Policies.AnyRole)
            .WithName("GetService").WithSummary("One service; ETag is its version");
        api.MapPut("/services/{id}", DirectoryEndpoints.PutService).RequireAuthorization(Policies.Admin)
            .WithMetadata(new RequestSizeLimitAttribute(64 * 1024))
            .WithName("PutService").WithSummary("Creates (If-Match \"0\") or updates a service (If-Match its version)");
        api.MapPost("/import", DirectoryEndpoints.Import).RequireAuthorization(Policies.Admin)
            .WithMetadata(new RequestSizeLimitAttribute(DirectoryLimits.MaxImportBytes))
            .Accepts<string>("text/csv")
            .WithName("ImportServices").WithSummary("Creates and updates services from CSV: every row valid, or nothing applied (errors by line)");
        api.MapGet("/history/{entity}/{id}", DirectoryEndpoints.GetHistory).RequireAuthorization(Policies.SupervisorOrAdmin)
            .WithName("GetDirectoryHistory").WithSummary("Every version of a service, commissioning body or force area: who, when, what changed");
        api.MapGet("/commissioning-bodies", DirectoryEndpoints.ListBodies).RequireAuthorization(Policies.AnyRole)
            .WithName("ListCommissioningBodies").WithSummary("Commissioning bodies and the force areas each covers");
        api.MapPut("/commissioning-bodies/{id}", DirectoryEndpoints.PutBody).RequireAuthorization(Policies.Admin)
            .WithName("PutCommissioningBody").WithSummary("Creates (If-Match \"0\") or renames a commissioning body");
        api.MapGet("/force-areas", DirectoryEndpoints.ListForceAreas).RequireAuthorization(Policies.AnyRole)
            .WithName("ListForceAreas").WithSummary("The 43 police force areas (the commissioning areas) and their commissioning bodies");
        api.MapPut("/force-areas/{code}", DirectoryEndpoints.PutForceArea).RequireAuthorization(Policies.Admin)
            .WithName("PutForceArea").WithSummary("Gives a force area to another commissioning body (If-Match its version)");

        var postcode = app.MapGroup("/api/areas/postcode").WithTags("Contact record");
        postcode.MapGet("", PostcodeEndpoints.GetState).RequireAuthorization(Policies.Advisor)
            .WithName("GetPostcodeLookup").WithSummary("Whether the postcode look-up is turned on");
        postcode.MapPost("", PostcodeEndpoints.Lookup).RequireAuthorization(Policies.Advisor)
            .WithName("LookupPostcode").WithSummary("The local authority and force of a postcode (sent in the body); only its outward code is returned to keep");

        app.MapGet("/api/contacts/{contactId:guid}/services", ContactServicesEndpoints.GetServices)
            .WithTags("Directory")
            .RequireAuthorization(Policies.AdvisorOrSupervisor)
            .WithName("GetContactServices")
            .WithSummary("Services for the caller, ranked (local first, then national), and every other with why it does not match");
        return app;
    }
}
