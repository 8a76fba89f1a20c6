using Helpline.Intake.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIntakeData();
builder.AddIntakeMessaging();
builder.AddCalls();
builder.AddCallbacks();
builder.AddOpeningHours();
builder.AddTelephony();
builder.AddEmail();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapCalls();
app.MapCallbacks();
app.MapOpeningHours();
app.MapTelephony();

await app.RunOrMigrateAsync<IntakeDbContext>(args);
