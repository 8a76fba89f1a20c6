using System.Security.Cryptography;
using Helpline.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Tests.Records;

public sealed class FieldEncryptionTests
{
    private static FieldEncryption Encryption(string key) => new(Options.Create(new FieldEncryptionOptions { Key = key }));

    [Fact]
    public void Values_round_trip_with_a_fresh_nonce_and_fail_when_moved_altered_or_read_with_another_key()
    {
        var encryption = Encryption(HelplineSettings.FieldEncryptionKey);

        var first = encryption.Encrypt("07700 900123", "contact_records:1:callbackNumber");
        var second = encryption.Encrypt("07700 900123", "contact_records:1:callbackNumber");

        Assert.NotEqual(first, second);
        Assert.Equal("07700 900123", encryption.Decrypt(first, "contact_records:1:callbackNumber"));
        Assert.ThrowsAny<CryptographicException>(() => encryption.Decrypt(first, "contact_records:2:callbackNumber"));
        var altered = first[..^4] + (first[^4] == 'A' ? 'B' : 'A') + first[^3..];
        Assert.ThrowsAny<CryptographicException>(() => encryption.Decrypt(altered, "contact_records:1:callbackNumber"));
        var otherKey = Encryption(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        Assert.ThrowsAny<CryptographicException>(() => otherKey.Decrypt(first, "contact_records:1:callbackNumber"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64")]
    [InlineData("c2hvcnQ=")]
    public void A_missing_or_malformed_key_stops_the_service(string key)
    {
        Assert.Null(FieldEncryption.ParseKey(key));
        Assert.Throws<InvalidOperationException>(() => Encryption(key));
    }
}
