using System.Text.RegularExpressions;

namespace Helpline.Intake.Telephony.Twilio;

/// <summary>
/// Reads the caller's number from Twilio's <c>From</c>. A withheld number reaches Twilio in several
/// shapes: words (<c>anonymous</c>, <c>Anonymous</c>, <c>restricted</c>, <c>unknown</c>, <c>private</c>,
/// <c>unavailable</c>, <c>blocked</c>), those words spelled on a phone keypad and dressed as numbers
/// (<c>+266696687</c> is ANONYMOUS, <c>+7378742833</c> RESTRICTED, <c>+86282452253</c> UNAVAILABLE,
/// <c>+8656696</c> UNKNOWN, <c>+2562533</c> BLOCKED, <c>+7748283</c> PRIVATE), an empty value, or a
/// client or SIP address. All of them are "withheld": only a real E.164 number gets a caller key.
/// </summary>
internal static partial class TwilioCaller
{
    private static readonly HashSet<string> KeypadWords = new(StringComparer.Ordinal)
    {
        "+266696687",
        "+7378742833",
        "+86282452253",
        "+8656696",
        "+2562533",
        "+7748283",
    };

    /// <summary>The caller's E.164 number, or null when it is withheld or not a phone number.</summary>
    public static string? NumberFrom(string? from) =>
        from is not null && E164Pattern().IsMatch(from) && !KeypadWords.Contains(from) ? from : null;

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164Pattern();
}
