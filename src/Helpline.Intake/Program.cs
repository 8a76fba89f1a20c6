using Helpline.Intake.Data;
using Helpline.Intake.Retention;
using Helpline.Intake.Web;
using Helpline.ServiceDefaults.Retention;
using Helpline.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIntakeData();
builder.AddIntakeMessaging();
builder.AddIntegrations();
builder.AddCalls();
builder.AddCallbacks();
builder.AddOpeningHours();
builder.AddTelephony();
builder.AddEmail();
builder.AddRateLimits();
builder.AddRetention<RetentionJob, RetentionOptions>(Helpline.Intake.IntakeTelemetry.Name, "helpline.intake.retention.rows");

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapCalls();
app.MapCallbacks();
app.MapOpeningHours();
app.MapTelephony();

if (await app.RunIntegrationKeyCommandAsync(args))
{
    return;
}

if (await FieldKeyRotationCommand.RunAsync<IntakeDbContext>(app.Services, args, IntakeDbContext.Schema, EncryptedColumns.All, Console.Out))
{
    return;
}

await app.RunOrMigrateAsync<IntakeDbContext>(args);
