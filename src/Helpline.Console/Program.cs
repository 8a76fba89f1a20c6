using Helpline.Console.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddConsoleData();
builder.AddContacts();
builder.AddAdvisorHub();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapAdvisorHub();

await app.RunOrMigrateAsync<ConsoleDbContext>(args);
