using Helpline.Intake.Data;
using Helpline.Intake.Web;

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

await app.RunOrMigrateAsync<IntakeDbContext>(args);
