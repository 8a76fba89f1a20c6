using Helpline.Console.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddConsoleData();
builder.AddContactRouting();
builder.AddAdvisorHub();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapAdvisorHub();
app.MapRoutingView();

await app.RunOrMigrateAsync<ConsoleDbContext>(args);
