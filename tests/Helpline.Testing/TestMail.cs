using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using Xunit;

namespace Helpline.Testing;

/// <summary>
/// A mailbox of its own on the Dovecot server deploy/local/test.sh starts: a user added to its passwd-file,
/// so test classes reading mail (and resetting UIDVALIDITY) never see each other's messages.
/// </summary>
public sealed class TestMailbox
{
    private static long _delivered;

    private TestMailbox(string userName)
    {
        UserName = userName;
        Password = Guid.NewGuid().ToString("N");
        var address = TestServers.Require("HELPLINE_TEST_IMAP").Split(':');
        Host = address[0];
        Port = int.Parse(address[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public string UserName { get; }

    public string Password { get; }

    public string Host { get; }

    public int Port { get; }

    public static TestMailbox Create(string prefix)
    {
        var mailbox = new TestMailbox(TestServers.UniqueName(prefix).ToLowerInvariant());
        File.AppendAllText(TestServers.Require("HELPLINE_TEST_IMAP_USERS"), $"{mailbox.UserName}:{{PLAIN}}{mailbox.Password}\n");
        return mailbox;
    }

    /// <summary>Intake's settings to read this mailbox (plain IMAP on loopback, password sign-in, quick polling).</summary>
    public Dictionary<string, string?> IntakeSettings(string folder = "INBOX") => new()
    {
        ["Email:Imap:Host"] = Host,
        ["Email:Imap:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Imap:Security"] = nameof(SecureSocketOptions.None),
        ["Email:Imap:UserName"] = UserName,
        ["Email:Imap:Secret"] = Password,
        ["Email:Imap:Mailbox"] = UserName,
        ["Email:Imap:Folders:0"] = folder,
        ["Email:Imap:PollInterval"] = "00:00:00.500",
        ["Email:Imap:MaxReconnectDelay"] = "00:00:01",
    };

    public async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync(Host, Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(UserName, Password);
        return client;
    }

    /// <summary>
    /// Delivers messages byte for byte as a mail server would: into the INBOX's Maildir (<c>new/</c>, written
    /// in <c>tmp/</c> first), or by IMAP APPEND into another folder (which MimeKit parses and writes again).
    /// </summary>
    public async Task AppendAsync(IEnumerable<byte[]> messages, string folder = "INBOX")
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var client = await ConnectAsync();
        var target = await FolderAsync(client, folder, create: true);
        await target.OpenAsync(FolderAccess.ReadOnly);
        var maildir = Path.Combine(Path.GetDirectoryName(TestServers.Require("HELPLINE_TEST_IMAP_USERS"))!, "mail", UserName, "Maildir");
        foreach (var raw in messages)
        {
            if (target == client.Inbox)
            {
                // Named in delivery order (Dovecot gives new files their UIDs in name order).
                var name = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.M{Interlocked.Increment(ref _delivered):D9}P{Environment.ProcessId}.helpline-test";
                var temporary = Path.Combine(maildir, "tmp", name);
                await File.WriteAllBytesAsync(temporary, raw);
                // Dovecot runs as nobody: it must be able to read the file and move it on.
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
                }
                File.Move(temporary, Path.Combine(maildir, "new", name));
            }
            else
            {
                using var stream = new MemoryStream(raw);
                await AppendAsync(target, MimeMessage.Load(stream));
            }
        }

        await client.DisconnectAsync(true);
    }

    /// <summary>One IMAP APPEND, tried again while Dovecot still settles a folder deleted and created again under another session.</summary>
    private static async Task AppendAsync(IMailFolder folder, MimeMessage message)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await folder.AppendAsync(new AppendRequest(message));
                return;
            }
            catch (ImapCommandException) when (attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }

    public Task AppendAsync(params MimeMessage[] messages) => AppendAsync(messages.Select(Bytes));

    /// <summary>Deletes the folder and creates it again: the server gives it a new UIDVALIDITY, as after a restore.</summary>
    public async Task<uint> RecreateFolderAsync(string folder)
    {
        uint before;
        using (var client = await ConnectAsync())
        {
            var existing = await FolderAsync(client, folder, create: true);
            await existing.OpenAsync(FolderAccess.ReadOnly);
            before = existing.UidValidity;
            await existing.CloseAsync();
            await existing.DeleteAsync();
            await client.DisconnectAsync(true);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var client = await ConnectAsync();
                var created = await FolderAsync(client, folder, create: true);
                await created.OpenAsync(FolderAccess.ReadOnly);
                Assert.NotEqual(before, created.UidValidity);
                var validity = created.UidValidity;
                await client.DisconnectAsync(true);
                return validity;
            }
            catch (ImapCommandException) when (attempt < 20)
            {
                // Dovecot may still be settling the deletion under another session (the reader's).
                await Task.Delay(250);
            }
        }
    }

    /// <summary>The highest UID the folder has given out (its UIDNEXT − 1).</summary>
    public async Task<long> LastUidAsync(string folder = "INBOX")
    {
        using var client = await ConnectAsync();
        var target = await FolderAsync(client, folder, create: true);
        await target.OpenAsync(FolderAccess.ReadOnly);
        var last = (long)(target.UidNext?.Id ?? 1) - 1;
        await client.DisconnectAsync(true);
        return last;
    }

    /// <summary>How many messages the folder holds now.</summary>
    public async Task<int> CountAsync(string folder = "INBOX")
    {
        using var client = await ConnectAsync();
        var target = await FolderAsync(client, folder, create: true);
        await target.OpenAsync(FolderAccess.ReadOnly);
        var count = target.Count;
        await client.DisconnectAsync(true);
        return count;
    }

    public static byte[] Bytes(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var output = new MemoryStream();
        message.WriteTo(output);
        return output.ToArray();
    }

    private static async Task<IMailFolder> FolderAsync(ImapClient client, string name, bool create)
    {
        if (name.Equals("INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return client.Inbox;
        }

        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var folders = await root.GetSubfoldersAsync();
        var folder = folders.FirstOrDefault(f => f.Name == name);
        return folder ?? (create ? await root.CreateAsync(name, true) : throw new InvalidOperationException($"No folder {name}"))!;
    }
}

/// <summary>
/// What the SMTP receiver deploy/local/test.sh starts has accepted (a file per message in its Maildir), or
/// a receiver of a test's own (<see cref="StartAsync"/>), which the test can start late to see a failed
/// send succeed.
/// </summary>
public sealed class TestSmtp : IDisposable
{
    private readonly Process? _process;

    private TestSmtp(string host, int port, string maildir, Process? process)
    {
        Host = host;
        Port = port;
        Maildir = maildir;
        _process = process;
    }

    public string Host { get; }

    public int Port { get; }

    public string Maildir { get; }

    /// <summary>The receiver the test script started.</summary>
    public static TestSmtp Shared()
    {
        var address = TestServers.Require("HELPLINE_TEST_SMTP").Split(':');
        return new TestSmtp(address[0], int.Parse(address[1], System.Globalization.CultureInfo.InvariantCulture), TestServers.Require("HELPLINE_TEST_SMTP_MAILDIR"), null);
    }

    /// <summary>
    /// A port for a receiver that is not running yet: bound but not listening, so a send to it is refused at
    /// once and no other server can take it, until <see cref="StartAsync"/> hands it to the receiver.
    /// </summary>
    public static System.Net.Sockets.Socket HoldPort()
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>Starts a receiver of the test's own on the port <paramref name="held"/> kept (released here).</summary>
    public static Task<TestSmtp> StartAsync(System.Net.Sockets.Socket held)
    {
        ArgumentNullException.ThrowIfNull(held);
        var port = ((System.Net.IPEndPoint)held.LocalEndPoint!).Port;
        held.Dispose();
        return StartOnAsync(port);
    }

    /// <summary>Starts a receiver of the test's own on <paramref name="port"/>, writing to a fresh folder.</summary>
    private static async Task<TestSmtp> StartOnAsync(int port)
    {
        var maildir = Path.Combine(Path.GetTempPath(), TestServers.UniqueName("smtp"));
        var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [TestServers.Require("HELPLINE_TEST_SMTP_RECEIVER"), port.ToString(System.Globalization.CultureInfo.InvariantCulture), maildir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("listening", line ?? process.StandardError.ReadToEnd(), StringComparison.Ordinal);
        return new TestSmtp("127.0.0.1", port, maildir, process);
    }

    /// <summary>Intake's settings to send through this receiver (no TLS; it accepts any sign-in).</summary>
    public Dictionary<string, string?> IntakeSettings() => new()
    {
        ["Email:Smtp:Host"] = Host,
        ["Email:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = nameof(SecureSocketOptions.None),
        ["Email:Smtp:UserName"] = "helpline",
        ["Email:Smtp:Secret"] = "test-only",
        ["Email:Smtp:FromAddress"] = "help@helpline.test",
        ["Email:Smtp:FirstRetryDelay"] = "00:00:00.200",
        ["Email:Smtp:MaxRetryDelay"] = "00:00:01",
        ["Email:Smtp:PollInterval"] = "00:00:00.200",
    };

    /// <summary>The messages received so far whose headers satisfy <paramref name="match"/>.</summary>
    public IReadOnlyList<MimeMessage> Received(Func<MimeMessage, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        var folder = Path.Combine(Maildir, "new");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var found = new List<MimeMessage>();
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var message = MimeMessage.Load(file);
            if (match(message))
            {
                found.Add(message);
            }
        }

        return found;
    }

    public void Dispose()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        if (Directory.Exists(Maildir))
        {
            Directory.Delete(Maildir, recursive: true);
        }
    }
}
