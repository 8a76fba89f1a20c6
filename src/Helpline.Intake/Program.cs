using Helpline.Intake.Data;

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

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.MapCalls();
app.MapCallbacks();
app.MapOpeningHours();
app.MapTelephony();

if (await app.RunIntegrationKeyCommandAsync(args))
{
    return;
}

await app.RunOrMigrateAsync<IntakeDbContext>(args);
