using MailKit;
using MailKit.Security;

namespace Helpline.Intake.Email;

/// <summary>Connecting and signing in to a mail server (IMAP or SMTP) as its options say.</summary>
internal static class MailConnections
{
    public static async Task ConnectAsync(MailService client, MailServerOptions options, CancellationToken cancellationToken)
    {
        client.Timeout = (int)options.Timeout.TotalMilliseconds;
        await client.ConnectAsync(options.Host, options.Port, options.Security, cancellationToken);
        switch (options.Authentication)
        {
            case MailAuthentication.Password:
                await client.AuthenticateAsync(options.UserName, options.ReadSecret(), cancellationToken);
                break;
            case MailAuthentication.XOAuth2:
                await client.AuthenticateAsync(Mechanism(options), cancellationToken);
                break;
            case MailAuthentication.None:
            default:
                break;
        }
    }

    /// <summary>The SASL mechanism for XOAUTH2: the user and a bearer token (read again at every connection, so a refresher can replace it).</summary>
    public static SaslMechanism Mechanism(MailServerOptions options) => new SaslMechanismOAuth2(options.UserName, options.ReadSecret());
}
