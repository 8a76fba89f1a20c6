using System.ComponentModel.DataAnnotations;

namespace Helpline.Console.Referrals;

/// <summary>Section <c>Referrals</c>: when an open referral becomes overdue on the supervisors' list.</summary>
internal sealed class ReferralOptions
{
    public const string Section = "Referrals";

    /// <summary>How long a service has to accept or reject a referral (Veritas Justice, for one, contacts the victim within 48 hours).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")]
    public TimeSpan ResponseDue { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How long an accepted referral may stay open before it should be closed as done.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan CompletionDue { get; set; } = TimeSpan.FromDays(28);
}
