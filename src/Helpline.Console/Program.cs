using Helpline.Console.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddConsoleData();
builder.AddAccounts();
builder.AddAuditTrail();
builder.AddContactRouting();
builder.AddAdvisorHub();
builder.AddContactRecords();
builder.AddServiceDirectory();
builder.AddSupervisorHub();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseConsoleApp();
app.MapAccounts();
app.MapAdvisorHub();
app.MapRoutingView();
app.MapContactRecords();
app.MapServiceDirectory();
app.MapSupervisorHub();

if (await app.RunAccountCommandAsync(args))
{
    return;
}

await app.RunOrMigrateAsync<ConsoleDbContext>(args);
