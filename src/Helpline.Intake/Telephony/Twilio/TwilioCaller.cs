using Helpline.Contracts;

namespace Helpline.Intake.Telephony.Twilio;

/// <summary>
/// Reads the caller's number from Twilio's <c>From</c>. A withheld number reaches Twilio in several
/// shapes: words (<c>anonymous</c>, <c>Anonymous</c>, <c>restricted</c>, <c>unknown</c>, <c>private</c>,
/// <c>unavailable</c>, <c>blocked</c>), those words spelled on a phone keypad and dressed as numbers
/// (<c>+266696687</c> is ANONYMOUS, <c>+7378742833</c> RESTRICTED, <c>+86282452253</c> UNAVAILABLE,
/// <c>+8656696</c> UNKNOWN, <c>+2562533</c> BLOCKED, <c>+7748283</c> PRIVATE), an empty value, or a
/// client or SIP address. All of them are "withheld": only a real E.164 number gets a caller key.
/// </summary>
internal static class TwilioCaller
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

    /// <summary>The caller's number, or null when it is withheld or not a phone number.</summary>
    public static PhoneNumber? NumberFrom(string? from) =>
        PhoneNumber.TryParse(from, out var number) && !KeypadWords.Contains(from) ? number : null;
}
