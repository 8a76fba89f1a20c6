using System.Security.Cryptography;
using System.Text;

namespace Helpline.Testing;

/// <summary>
/// Signs a webhook the way Twilio does (HMAC-SHA1 with the auth token over the full URL followed by
/// every form field's name and value in name order, base64). The Twilio package only validates, so the
/// tests sign here and <c>Signer_agrees_with_the_Twilio_package</c> proves the package accepts it.
/// </summary>
public static class TwilioSigner
{
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

#pragma warning disable CA5350 // Twilio's webhook signature is defined as HMAC-SHA1.
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }
}
