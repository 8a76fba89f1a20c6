using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Helpline.Contracts;

/// <summary>
/// A phone number in E.164: <c>+</c>, a first digit that is not 0, then 6 to 14 more digits
/// (<c>+447700900123</c>). The one place the pattern is written. A caller's number is personal data:
/// <see cref="ToString"/> gives a placeholder, so a number that reaches a log by mistake stays hidden;
/// <see cref="Value"/> is the number itself, for the phone network, the keyed hash and encryption only.
/// </summary>
public readonly partial record struct PhoneNumber
{
    private PhoneNumber(string value)
    {
        Value = value;
    }

    /// <summary>The number in E.164.</summary>
    public string Value { get; }

    public static bool TryParse([NotNullWhen(true)] string? text, out PhoneNumber number)
    {
        number = text is not null && E164().IsMatch(text) ? new PhoneNumber(text) : default;
        return number.Value is not null;
    }

    /// <summary>The number in <paramref name="text"/>, which must be valid (checked before, as a request's field).</summary>
    public static PhoneNumber Parse(string text) =>
        TryParse(text, out var number) ? number : throw new FormatException("Not a phone number in E.164.");

    public static bool IsValid([NotNullWhen(true)] string? text) => TryParse(text, out _);

    public override string ToString() => "+…";

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();
}
