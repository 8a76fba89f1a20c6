using Helpline.Console.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddConsoleData();
builder.AddAccounts();
builder.AddContactRouting();
builder.AddAdvisorHub();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseConsoleApp();
app.MapAccounts();
app.MapAdvisorHub();
app.MapRoutingView();

if (await app.RunAccountCommandAsync(args))
{
    return;
}

await app.RunOrMigrateAsync<ConsoleDbContext>(args);
