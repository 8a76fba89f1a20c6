using Helpline.Console.Data;
using Helpline.Console.Retention;
using Helpline.ServiceDefaults.Retention;
using Helpline.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddConsoleData();
builder.AddAccounts();
builder.AddAuditTrail();
builder.AddRouterHosting();
builder.AddAdvisorHub();
builder.AddContactRecords();
builder.AddCallerSafety();
builder.AddEmailConversations();
builder.AddReporting();
builder.AddSupervisorDashboard();
builder.AddServiceDirectory();
builder.AddReferrals();
builder.AddUnmetNeed();
builder.AddRetention<RetentionJob, RetentionOptions>(Helpline.Console.ConsoleTelemetry.Name, "helpline.console.retention.rows");
builder.AddConsoleMessaging();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseConsoleApp();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseCookieAntiforgery();
app.MapAccounts();
app.MapAdvisorHub();
app.MapContactRecords();
app.MapCallerSafety();
app.MapServiceDirectory();
app.MapReferrals();
app.MapUnmetNeed();
app.MapSupervisors();
app.MapEmailConversations();
app.MapReporting();
app.MapStaffing();
app.MapSpecialClosures();
app.MapAuditTrail();

if (await app.RunAccountCommandAsync(args))
{
    return;
}

if (await FieldKeyRotationCommand.RunAsync<ConsoleDbContext>(app.Services, args, ConsoleDbContext.Schema, EncryptedColumns.All, System.Console.Out))
{
    return;
}

await app.RunOrMigrateAsync<ConsoleDbContext>(args);
