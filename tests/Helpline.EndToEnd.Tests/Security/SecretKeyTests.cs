using System.Security.Cryptography;
using Helpline.Console.Data;
using Helpline.Intake.Data;
using Helpline.Testing;

namespace Helpline.EndToEnd.Tests.Security;

/// <summary>
/// Outside Development (the tests run as "Testing") each service refuses to start with a key that is
/// missing, too short, or a development value (here the fallbacks docker-compose.yml used to commit).
/// Every other test starting a service is the positive case: HelplineSettings' keys are random.
/// </summary>
public sealed class SecretKeyTests
{
    private const string OldComposeCallerHashKey = "ZGV2ZWxvcG1lbnQtb25seS1jYWxsZXItaGFzaC1rZXktMzI=";
    private const string OldComposeFieldKey = "ZGV2ZWxvcG1lbnQtb25seS1maWVsZC1rZXktMzJieXQ=";

    public static TheoryData<string, string, string> BadKeys()
    {
        var data = new TheoryData<string, string, string>();
        var shortKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        foreach (var service in new[] { "Intake", "Console" })
        {
            data.Add(service, "FieldEncryption:Key", "");
            data.Add(service, "FieldEncryption:Key", shortKey);
            data.Add(service, "FieldEncryption:Key", OldComposeFieldKey);
            data.Add(service, "FieldEncryption:Key", Convert.ToBase64String("test-key-for-field-encryption-32"u8));

            // Every key of the ring obeys the rule, not only the active one.
            data.Add(service, "FieldEncryption:Keys:k2", shortKey);
            data.Add(service, "FieldEncryption:Keys:k2", OldComposeFieldKey);
            data.Add(service, "FieldEncryption:Keys:k2", Convert.ToBase64String("test-key-for-field-encryption-32"u8));
        }

        data.Add("Console", "DataProtection:KeyEncryptionKey", "");
        data.Add("Console", "DataProtection:KeyEncryptionKey", shortKey);
        data.Add("Console", "DataProtection:KeyEncryptionKey", Convert.ToBase64String("development-only-data-protection"u8));
        data.Add("Intake", "CallerIdentity:HashKey", "");
        data.Add("Intake", "CallerIdentity:HashKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(20)));
        data.Add("Intake", "CallerIdentity:HashKey", OldComposeCallerHashKey);
        return data;
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task A_service_refuses_to_start_with_a_missing_short_or_development_key(string service, string setting, string value)
    {
        await using var database = TestDatabase.Create("keys");
        await using var virtualHost = await TestVirtualHost.CreateAsync();
        var settings = HelplineSettings.For(database, virtualHost);
        settings[setting] = value;

        var refusal = Assert.ThrowsAny<Exception>(() =>
        {
            if (service == "Intake")
            {
                using var intake = new ServiceHost<IntakeDbContext>(settings).Start();
            }
            else
            {
                using var console = new ServiceHost<ConsoleDbContext>(settings).Start();
            }
        });

        Assert.Contains(setting, refusal.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OldComposeFieldKey, true)]
    [InlineData("", true)]
    public void The_rule_names_what_is_wrong(string key, bool refused)
    {
        Assert.Equal(refused, Helpline.ServiceDefaults.Security.SecretKeys.Problem(key) is not null);
        Assert.Null(Helpline.ServiceDefaults.Security.SecretKeys.Problem(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
    }
}
