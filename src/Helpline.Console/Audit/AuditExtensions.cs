using Helpline.Console.Audit;

namespace Microsoft.Extensions.Hosting;

internal static class AuditExtensions
{
    /// <summary>The append-only audit trail every feature writes to (<c>console.audit_entries</c>).</summary>
    public static IHostApplicationBuilder AddAuditTrail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditTrail>();
        return builder;
    }
}
