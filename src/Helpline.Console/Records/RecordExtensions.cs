using Helpline.Console.Records;
using Helpline.ServiceDefaults.Security;

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
        builder.AddRecordPolicies();
        return builder;
    }

    public static WebApplication MapContactRecords(this WebApplication app)
    {
        app.MapRecordEndpoints();
        return app;
    }
}
