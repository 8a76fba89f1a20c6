using Helpline.Console.Accounts;
using Helpline.Console.Audit;
using Helpline.ServiceDefaults.Security;

namespace Microsoft.Extensions.Hosting;

internal static class AuditExtensions
{
    /// <summary>The append-only audit trail every feature writes to (<c>console.audit_entries</c>), sealed into a hash chain.</summary>
    public static IHostApplicationBuilder AddAuditTrail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditTrail>();
        builder.Services.AddScoped<AuditChain>();
        builder.Services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<AuditSealer>();
        // The chain's key is derived from a key of the field-encryption ring: Console does not start without it.
        builder.Services.AddOptions<FieldEncryptionOptions>()
            .Validate(o => o.Ring().Count == 0 || o.Ring().ContainsKey(o.AuditChainKeyId), $"{FieldEncryptionOptions.Section}:AuditChainKey names no key of the ring (by default key {FieldEncryptionOptions.LegacyKeyId}, {FieldEncryptionOptions.Section}:Key).");
        return builder;
    }

    /// <summary>Admins query, export and verify the trail.</summary>
    public static WebApplication MapAuditTrail(this WebApplication app)
    {
        var audit = app.MapGroup("/api/admin/audit").WithTags("Audit").RequireAuthorization(Policies.Admin);
        audit.MapGet("/", AuditEndpoints.Query)
            .WithName("QueryAudit")
            .WithSummary("Audit entries, newest first, filtered by period, action, actor or contact; audited")
            .ProducesValidationProblem();
        audit.MapGet("/export", AuditEndpoints.Export)
            .WithName("ExportAudit")
            .WithSummary("Audit entries oldest first as CSV or JSON, with each entry's place and hash in the chain; audited")
            .ProducesValidationProblem();
        audit.MapGet("/verify", AuditEndpoints.Verify)
            .WithName("VerifyAudit")
            .WithSummary("Walk the hash chain: intact, or the first entry changed, removed or out of place; audited");
        return app;
    }
}
