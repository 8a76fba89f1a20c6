using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace Helpline.Intake.Email;

/// <summary>How Intake signs in to a mail server.</summary>
internal enum MailAuthentication
{
    /// <summary>User name and password (the secret is the password).</summary>
    Password,

    /// <summary>OAuth 2.0 bearer token through SASL XOAUTH2 (Microsoft 365, Gmail; the secret is the access token).</summary>
    XOAuth2,

    /// <summary>No sign-in (an SMTP relay that trusts the network).</summary>
    None,
}

/// <summary>
/// A mail server to connect to. The secret (password or access token) comes from <see cref="Secret"/>
/// (an environment variable such as <c>Email__Imap__Secret</c>) or from the file named by
/// <see cref="SecretFile"/>, read again at every connection so a token refresher can replace it;
/// never from a committed file.
/// </summary>
internal class MailServerOptions
{
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; }

    /// <summary>MailKit's <c>SecureSocketOptions</c>: <c>SslOnConnect</c> (993/465), <c>StartTls</c> (143/587), <c>None</c> only for a local test server.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    public MailAuthentication Authentication { get; set; } = MailAuthentication.Password;

    public string UserName { get; set; } = "";

    public string? Secret { get; set; }

    public string? SecretFile { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The password or token: <see cref="Secret"/>, else the trimmed content of <see cref="SecretFile"/>.</summary>
    public string ReadSecret()
    {
        if (!string.IsNullOrEmpty(Secret))
        {
            return Secret;
        }

        if (string.IsNullOrEmpty(SecretFile))
        {
            throw new InvalidOperationException("The mail server's secret is not configured (Secret or SecretFile).");
        }

        return File.ReadAllText(SecretFile).Trim();
    }
}

/// <summary>The helpline mailbox Intake reads (section <c>Email:Imap</c>; reading is on when <c>Host</c> is set).</summary>
internal sealed class ImapOptions : MailServerOptions
{
    public const string Section = "Email:Imap";

    public ImapOptions() => Port = 993;

    /// <summary>A stable name for the mailbox in the checkpoints (change it and the mailbox is read again from the start; duplicates are still absorbed).</summary>
    [Required]
    [MaxLength(100)]
    public string Mailbox { get; set; } = "helpline";

    /// <summary>The folders to read. Add any folder other clients move new mail to, so none is missed.</summary>
    [MinLength(1)]
    public string[] Folders { get; set; } = ["INBOX"];

    /// <summary>IDLE is re-issued this often (RFC 2177 asks for under 29 minutes; servers and NATs drop idle connections sooner).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:29:00")]
    public TimeSpan IdleRefresh { get; set; } = TimeSpan.FromMinutes(9);

    /// <summary>How often to look for new mail with NOOP when the server has no IDLE, or more than one folder is read.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:30:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between reconnection attempts (the wait doubles from 1 s up to this).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:30:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Messages fetched per round trip.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Delete a message from the server once it is stored (and expunge it). Off by default: nothing is deleted unless configured.</summary>
    public bool DeleteAfterStore { get; set; }
}

/// <summary>Where replies and referrals go out (section <c>Email:Smtp</c>; sending is on when <c>Host</c> is set).</summary>
internal sealed class SmtpOptions : MailServerOptions
{
    public const string Section = "Email:Smtp";

    public SmtpOptions() => Port = 587;

    /// <summary>The helpline's address, as replies' <c>From</c>.</summary>
    [Required]
    [EmailAddress]
    public string FromAddress { get; set; } = "";

    public string FromName { get; set; } = "National Stalking Helpline";

    /// <summary>The domain of the Message-IDs Intake generates (defaults to the From address's domain).</summary>
    public string? MessageIdDomain { get; set; }

    /// <summary>
    /// Replies carry <c>Reply-To: local+token@domain</c> (a reply address tag), so a reply that lost its
    /// headers still finds its conversation. Turn off for a mail server that does not deliver plus-addresses.
    /// </summary>
    public bool TagReplyAddress { get; set; } = true;

    /// <summary>Attempts before a send is given up (transient failures only; a refusal ends it at once).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The first retry's wait; each further one doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the sender looks for due emails when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>What makes a message hostile or broken (section <c>Email:Limits</c>): beyond these it is quarantined.</summary>
internal sealed class EmailLimits
{
    public const string Section = "Email:Limits";

    /// <summary>The whole message as the server reports its size. Also bounds each <c>EmailReceived</c> on the broker (keep it under RabbitMQ's <c>max_message_size</c>).</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>One decoded text or HTML body.</summary>
    [Range(256, 50 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How deep multiparts and attached messages may nest.</summary>
    [Range(1, 100)]
    public int MaxNestingDepth { get; set; } = 8;

    [Range(1, 10000)]
    public int MaxParts { get; set; } = 100;

    /// <summary>Tags in an HTML body (an HTML bomb is millions of nested elements in a few megabytes).</summary>
    [Range(10, 10_000_000)]
    public int MaxHtmlTags { get; set; } = 20_000;
}

/// <summary>One sender writing many new messages in a short time (section <c>Email:Burst</c>).</summary>
internal sealed class BurstOptions
{
    public const string Section = "Email:Burst";

    /// <summary>At most this many of one sender's messages in <see cref="Window"/> start conversations; the rest join the latest one.</summary>
    [Range(1, 1000)]
    public int MaxConversations { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);
}
