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

        var first = encryption.Encrypt("07700 900123", "contact_records:1:callbackNumber", FieldPurpose.Records);
        var second = encryption.Encrypt("07700 900123", "contact_records:1:callbackNumber", FieldPurpose.Records);

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

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static FieldEncryption Ring(Dictionary<string, string> keys, string? active = null, string? records = null) =>
        new(Options.Create(new FieldEncryptionOptions { Keys = keys, ActiveKey = active, RecordsKey = records }));

    /// <summary>A value as it was stored before the ring: "v1:" + base64(nonce | tag | ciphertext), no key id.</summary>
    private static string LegacyValue(string key, string plaintext, string associatedData)
    {
        var data = System.Text.Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[12 + 16 + data.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(Convert.FromBase64String(key), 16);
        aes.Encrypt(output.AsSpan(0, 12), data, output.AsSpan(28), output.AsSpan(12, 16), System.Text.Encoding.UTF8.GetBytes(associatedData));
        return "v1:" + Convert.ToBase64String(output);
    }

    [Fact]
    public void Values_carry_the_id_of_their_key_and_each_purpose_is_written_with_its_own_active_key()
    {
        var ring = Ring(new() { ["s1"] = NewKey(), ["s2"] = NewKey(), ["r1"] = NewKey() }, active: "s2", records: "r1");

        var shared = ring.Encrypt("+447700900123", "callback_requests:1:number", FieldPurpose.Shared);
        var record = ring.Encrypt("call after six", "contact_records:1:notes", FieldPurpose.Records);

        Assert.StartsWith("v2:s2:", shared, StringComparison.Ordinal);
        Assert.StartsWith("v2:r1:", record, StringComparison.Ordinal);
        Assert.True(ring.IsCurrent(record, FieldPurpose.Records));
        Assert.False(ring.IsCurrent(record, FieldPurpose.Shared));
        Assert.Equal("call after six", ring.Decrypt(record, "contact_records:1:notes"));
        var renamed = "v2:s1:" + shared["v2:s2:".Length..];
        Assert.ThrowsAny<CryptographicException>(() => ring.Decrypt(renamed, "callback_requests:1:number"));
    }

    [Fact]
    public void A_service_without_the_records_key_reads_shared_values_but_no_record()
    {
        var sharedKey = NewKey();
        var console = Ring(new() { ["s1"] = sharedKey, ["r1"] = NewKey() }, active: "s1", records: "r1");
        var intake = Ring(new() { ["s1"] = sharedKey });

        var number = intake.Encrypt("+447700900123", "callback_requests:1:number", FieldPurpose.Shared);
        var record = console.Encrypt("call after six", "contact_records:1:notes", FieldPurpose.Records);

        Assert.Equal("+447700900123", console.Decrypt(number, "callback_requests:1:number"));
        var refusal = Assert.ThrowsAny<CryptographicException>(() => intake.Decrypt(record, "contact_records:1:notes"));
        Assert.Contains("'r1'", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_written_before_the_ring_is_read_with_the_key_that_opens_it_and_rotates_to_the_active_key()
    {
        var oldKey = NewKey();
        var legacy = LegacyValue(oldKey, "07700 900123", "contact_records:1:callbackNumber");
        var single = Encryption(oldKey);
        var newKey = NewKey();
        var rotated = Ring(new() { ["k1"] = newKey, ["old"] = oldKey }, active: "k1");

        Assert.Equal("07700 900123", single.Decrypt(legacy, "contact_records:1:callbackNumber"));
        Assert.Equal("07700 900123", rotated.Decrypt(legacy, "contact_records:1:callbackNumber"));
        Assert.False(rotated.IsCurrent(legacy, FieldPurpose.Records));

        var again = rotated.Reencrypt(legacy, "contact_records:1:callbackNumber", FieldPurpose.Records);

        Assert.StartsWith("v2:k1:", again, StringComparison.Ordinal);
        var withoutOldKey = Ring(new() { ["k1"] = newKey });
        Assert.Equal("07700 900123", withoutOldKey.Decrypt(again, "contact_records:1:callbackNumber"));
        Assert.ThrowsAny<CryptographicException>(() => withoutOldKey.Decrypt(legacy, "contact_records:1:callbackNumber"));
    }

    [Theory]
    [InlineData("k1", "k2", null, "ActiveKey 'k2'")]
    [InlineData("k1", "k1", "r9", "RecordsKey 'r9'")]
    [InlineData("K1", "K1", null, "lower-case")]
    public void A_ring_that_names_a_missing_key_or_a_bad_id_stops_the_service(string id, string? active, string? records, string problem)
    {
        var options = new FieldEncryptionOptions { Keys = new() { [id] = NewKey(), ["z9"] = NewKey() }, ActiveKey = active, RecordsKey = records };

        Assert.Contains(problem, options.Problem(), StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new FieldEncryption(Options.Create(options)));
    }
}
