using Helpline.Intake.Data;

namespace Helpline.Intake.Tests.Email;

/// <summary>The server forgets its UIDs (a restore, a migration): the folder is read again, and nothing is stored twice.</summary>
public sealed class MailboxResyncTests(MailboxResyncTests.Fixture fixture) : IClassFixture<MailboxResyncTests.Fixture>
{
    public sealed class Fixture : EmailFixture
    {
        protected override string Folder => "Helpline";
    }

    [Fact]
    public async Task A_UIDVALIDITY_change_reads_the_folder_again_without_duplicates()
    {
        var messages = Enumerable.Range(0, 3).Select(i => EmailCorpus.Message($"resync{i}@example.test", $"Resync {i}", $"message {i}")).ToArray();
        await fixture.Mailbox.AppendAsync(messages.Select(TestMailbox.Bytes), "Helpline");
        await Eventually.WaitAsync(() => Task.FromResult(fixture.Published<EmailReceived>().Messages.Count), n => n == 3, TimeSpan.FromSeconds(30), "three messages");

        var validity = await fixture.Mailbox.RecreateFolderAsync("Helpline");
        var added = EmailCorpus.Message("resync-new@example.test", "Resync new", "a new one");
        await fixture.Mailbox.AppendAsync(messages.Append(added).Select(TestMailbox.Bytes), "Helpline");

        await EmailFixture.WaitForAsync(fixture.Published<EmailReceived>(), fixture.SubjectContains("Resync new"), "the new message after the reset");
        await Eventually.WaitAsync(
            () => fixture.Database.CountAsync($"SELECT count(*) FROM intake.mailbox_checkpoints WHERE folder = 'Helpline' AND uid_validity = {validity} AND last_uid = 4"),
            n => n == 1, TimeSpan.FromSeconds(30), "the checkpoint under the new UIDVALIDITY");
        Assert.Equal(4, await fixture.Database.CountAsync("SELECT count(*) FROM intake.email_messages"));
        Assert.Equal(4, fixture.Published<EmailReceived>().Messages.Count);
    }
}

/// <summary>Intake killed outright in the middle of reading a batch, then started again.</summary>
public sealed class MailboxReaderKilledTests : IAsyncLifetime
{
    private const int Messages = 500;
    private readonly TestDatabase _database = TestDatabase.Create("intake_killed");
    private readonly TestMailbox _mailbox = TestMailbox.Create("killed");
    private TestVirtualHost _virtualHost = null!;

    public async Task InitializeAsync()
    {
        _virtualHost = await TestVirtualHost.CreateAsync();
        await _database.MigrateAsync<IntakeDbContext>(IntakeDbContext.Schema, options => new IntakeDbContext(options));
        (await _mailbox.ConnectAsync()).Dispose();
    }

    [Fact]
    public async Task No_message_is_lost_or_stored_twice_when_the_reader_is_killed_mid_batch()
    {
        var settings = HelplineSettings.For(_database, _virtualHost);
        foreach (var (key, value) in _mailbox.IntakeSettings())
        {
            settings[key] = value;
        }

        settings["Email:Imap:BatchSize"] = "100";
        await _mailbox.AppendAsync(Enumerable.Range(0, Messages).Select(i => EmailCorpus.Realistic(i)));
        var logs = Path.Combine(Path.GetTempPath(), TestServers.UniqueName("intake-killed"));
        Directory.CreateDirectory(logs);

        using (var first = await ServiceProcess.StartAsync("Intake", settings, Path.Combine(logs, "first.log")))
        {
            await Eventually.WaitAsync(() => StoredAsync(), n => n >= 20, TimeSpan.FromSeconds(60), "some messages stored");
            first.Kill();
        }

        var atKill = await StoredAsync();
        Assert.True(atKill < Messages, $"the reader had already stored all {Messages} when killed; the test proves nothing");
        using var second = await ServiceProcess.StartAsync("Intake", settings, Path.Combine(logs, "second.log"));
        await Eventually.WaitAsync(() => StoredAsync(), n => n == Messages, TimeSpan.FromSeconds(180), "every message stored");

        Assert.Equal(Messages, await _database.CountAsync("SELECT count(DISTINCT message_key) FROM intake.email_messages"));
        Assert.Equal(Messages, await _database.CountAsync("SELECT count(DISTINCT uid) FROM intake.email_messages"));
        Assert.Equal(Messages, await _database.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE message_type LIKE '{typeof(EmailReceived).FullName}%'"));
        Assert.Equal(Messages, await _database.CountAsync("SELECT last_uid FROM intake.mailbox_checkpoints"));
    }

    private Task<long> StoredAsync() => _database.CountAsync("SELECT count(*) FROM intake.email_messages");

    public async Task DisposeAsync()
    {
        await _virtualHost.DisposeAsync();
        await _database.DisposeAsync();
    }
}
