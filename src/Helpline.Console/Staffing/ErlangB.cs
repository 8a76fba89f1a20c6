namespace Helpline.Console.Staffing;

/// <summary>
/// Erlang B (M/M/N/N, Erlang 1917): the probability that a call finds all <c>N</c> lines busy when
/// <c>A</c> erlangs are offered. Computed by the stable recursion
/// <c>B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1))</c>, never by factorials, so it neither overflows
/// nor loses precision for any N a helpline (or a telephone exchange) has.
/// </summary>
internal static class ErlangB
{
    public static double Blocking(int servers, double traffic)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(servers);
        if (!double.IsFinite(traffic) || traffic < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(traffic), traffic, "The offered traffic must be a finite number of erlangs, zero or more.");
        }

        var b = 1.0;
        for (var n = 1; n <= servers; n++)
        {
            b = traffic * b / (n + traffic * b);
        }

        return b;
    }
}
