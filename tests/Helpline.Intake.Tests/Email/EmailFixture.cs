using Helpline.Intake.Tests.Telephony;
using Helpline.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Helpline.Intake.Tests.Email;

/// <summary>
/// Intake reading a Dovecot mailbox of its own and sending through the SMTP receiver (real servers from
/// deploy/local/test.sh), with its own database and virtual host, every log entry captured, and a probe on
/// every email message it publishes. Subclasses change settings (limits, the burst rule, the SMTP port).
/// </summary>
public class EmailFixture : IAsyncLifetime
{
    /// <summary>Small enough that the corpus's oversized message stays small.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>Below what the corpus's HTML bomb holds (which must stay under <see cref="MaxMessageBytes"/>).</summary>
    public const int MaxHtmlTags = 5000;

    private static readonly Type[] Events = [typeof(ContactReceived), typeof(EmailReceived), typeof(EmailQuarantined), typeof(EmailSent), typeof(EmailSendFailed)];

    private readonly Dictionary<Type, MessageProbe> _probes = [];

    public TestDatabase Database { get; } = TestDatabase.Create("intake_email");

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public TestMailbox Mailbox { get; } = TestMailbox.Create("mail");

    public IntakeHost Intake { get; private set; } = null!;

    public FieldEncryption Encryption { get; } = new(Options.Create(new FieldEncryptionOptions { Key = HelplineSettings.FieldEncryptionKey }));

    public MessageProbe Published<T>() => _probes[typeof(T)];

    /// <summary>The folder Intake reads.</summary>
    protected virtual string Folder => "INBOX";

    /// <summary>Where Intake sends (the shared receiver unless a subclass says otherwise).</summary>
    protected virtual Dictionary<string, string?> SmtpSettings() => TestSmtp.Shared().IntakeSettings();

    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public async Task InitializeAsync()
    {
        VirtualHost = await TestVirtualHost.CreateAsync();
        await Database.MigrateAsync<Data.IntakeDbContext>(Data.IntakeDbContext.Schema, options => new Data.IntakeDbContext(options));
        foreach (var type in Events)
        {
            _probes[type] = await MessageProbe.CreateAsync(VirtualHost.ConnectionString, type);
        }

        // Log in once so Dovecot creates the mailbox's folders before anything is delivered to it.
        (await Mailbox.ConnectAsync()).Dispose();
        var settings = HelplineSettings.For(Database, VirtualHost);
        foreach (var (key, value) in Mailbox.IntakeSettings(Folder).Concat(SmtpSettings()))
        {
            settings[key] = value;
        }

        settings["Email:Limits:MaxMessageBytes"] = MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Email:Limits:MaxHtmlTags"] = MaxHtmlTags.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Configure(settings);
        Intake = new IntakeHost(settings, TimeProvider.System);
        // Ready: the bus has declared its queues, so a command published now is not published into nothing.
        using var client = Intake.CreateClient();
        await Eventually.WaitAsync(async () => (await client.GetAsync("/health/ready")).StatusCode, s => s == System.Net.HttpStatusCode.OK, TimeSpan.FromSeconds(60), "Intake to be ready");
    }

    /// <summary>Waits until Intake's checkpoint has passed every message now in the folder.</summary>
    public async Task WaitUntilReadAsync()
    {
        var last = await Mailbox.LastUidAsync(Folder);
        await Eventually.WaitAsync(
            () => Database.CountAsync($"SELECT coalesce(max(last_uid), 0) FROM intake.mailbox_checkpoints WHERE folder = '{Folder}'"),
            uid => uid >= last, TimeSpan.FromSeconds(30), $"the reader to pass UID {last}");
    }

    public Task PublishAsync<T>(T message)
        where T : class => Intake.Services.GetRequiredService<IBus>().Publish(message);

    /// <summary>Waits for a published message that satisfies <paramref name="match"/>.</summary>
    public static async Task<JsonElement> WaitForAsync(MessageProbe probe, Func<JsonElement, bool> match, string what, int seconds = 30)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var found = await Eventually.WaitAsync(() => Task.FromResult(probe.Messages.Where(match).ToList()), m => m.Count > 0, TimeSpan.FromSeconds(seconds), what);
        return found[0];
    }

    /// <summary>Decrypts a field of a published email message (bound to its <c>emailId</c>).</summary>
    public string Decrypt(JsonElement message, string property, string field) =>
        Encryption.Decrypt(message.GetProperty(property).GetString()!, EmailFields.AssociatedData(message.GetProperty("emailId").GetGuid(), field));

    /// <summary>The published EmailReceived whose subject (decrypted) contains <paramref name="marker"/>.</summary>
    public Func<JsonElement, bool> SubjectContains(string marker) =>
        m => Decrypt(m, "encryptedSubject", EmailFields.Subject).Contains(marker, StringComparison.Ordinal);

    public async Task DisposeAsync()
    {
        await Intake.DisposeAsync();
        foreach (var probe in _probes.Values)
        {
            await probe.DisposeAsync();
        }

        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
