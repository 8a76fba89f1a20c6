namespace Helpline.Console.Directory;

/// <summary>The directory's dates (funding periods, expected dates) are days in England and Wales.</summary>
internal static class DirectoryClock
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static DateOnly Today(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), London).DateTime);
    }
}
