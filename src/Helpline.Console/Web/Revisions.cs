using System.Globalization;

namespace Helpline.Console.Web;

/// <summary>A row's revision (or version) as an HTTP entity tag, for optimistic concurrency with If-Match.</summary>
internal static class Revisions
{
    public static string ETag(int revision) => $"\"{revision.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Accepts <c>"3"</c>, <c>W/"3"</c> or <c>3</c>; null when absent or not a revision.</summary>
    public static int? ParseIfMatch(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = request.Headers.IfMatch.ToString().Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        value = value.Trim('"');
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : null;
    }
}
