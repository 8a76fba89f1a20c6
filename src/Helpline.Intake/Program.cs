using Helpline.Intake.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIntakeData();
builder.AddOutbox();
builder.AddCalls();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapCalls();

await app.RunOrMigrateAsync<IntakeDbContext>(args);
