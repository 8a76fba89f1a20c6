using Helpline.Intake.Email;
using MailKit.Security;

namespace Helpline.Intake.Tests.Email;

/// <summary>How Intake signs in: a password or an XOAUTH2 token, from configuration or a secrets file read at every connection.</summary>
public sealed class MailAuthenticationTests
{
    [Fact]
    public void XOAuth2_signs_in_with_the_token_from_the_secrets_file_read_again_each_time()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "first-token\n");
            var options = new ImapOptions { Authentication = MailAuthentication.XOAuth2, UserName = "helpline@example.test", SecretFile = file };

            var first = MailConnections.Mechanism(options);
            File.WriteAllText(file, "refreshed-token");
            var second = MailConnections.Mechanism(options);

            Assert.IsType<SaslMechanismOAuth2>(first);
            Assert.Equal("XOAUTH2", first.MechanismName);
            Assert.Equal("first-token", first.Credentials.Password);
            Assert.Equal("refreshed-token", second.Credentials.Password);
            Assert.Equal("helpline@example.test", second.Credentials.UserName);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_secret_in_configuration_wins_and_none_at_all_is_refused()
    {
        Assert.Equal("from-env", new SmtpOptions { Secret = "from-env", SecretFile = "/nonexistent" }.ReadSecret());
        Assert.Throws<InvalidOperationException>(() => new SmtpOptions().ReadSecret());
    }
}
