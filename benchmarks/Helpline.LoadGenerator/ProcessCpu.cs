using System.Globalization;

namespace Helpline.LoadGenerator;

/// <summary>
/// CPU time of the system's processes, read from <c>/proc</c>: each server's process tree (PostgreSQL's
/// postmaster and its backends, RabbitMQ's VM and its helpers), found through the pid files
/// <c>deploy/local/run.sh</c> keeps under its data folder, and this program itself.
/// A tree's CPU is, over every live process in it, user + system time plus the children's times it
/// has reaped, so a backend that ended during the window still counts, once.
/// </summary>
internal sealed class ProcessCpu
{
    private static readonly double TicksPerSecond = ClockTicks();

    private readonly IReadOnlyList<(string Name, int? Pid)> _servers;

    private ProcessCpu(IReadOnlyList<(string Name, int? Pid)> servers) => _servers = servers;

    /// <summary>The servers as <c>run.sh</c> started them with data folder <paramref name="data"/>; a missing pid file leaves that server unmeasured.</summary>
    public static ProcessCpu OfRunCommand(string data) => new(
    [
        ("Intake", ReadPid(Path.Combine(data, "pids", "intake"))),
        ("Console", ReadPid(Path.Combine(data, "pids", "console"))),
        ("PostgreSQL", ReadPid(Path.Combine(data, "pg", "data", "postmaster.pid"))),
        ("RabbitMQ", ReadPid(Path.Combine(data, "rabbitmq", "rabbit.pid"))),
    ]);

    /// <summary>CPU seconds so far of each server's tree (null when it was not found) and of this program.</summary>
    public CpuReading Read()
    {
        var parents = ParentsOfLiveProcesses();
        var servers = _servers.Select(server => (server.Name, Seconds: server.Pid is { } pid && parents.ContainsKey(pid) ? TreeSeconds(pid, parents) : (double?)null)).ToList();
        return new CpuReading(servers, ProcessSeconds(Environment.ProcessId, includeReaped: true) ?? 0);
    }

    private static double TreeSeconds(int root, Dictionary<int, int> parents)
    {
        var total = 0.0;
        foreach (var pid in parents.Keys.Where(pid => IsInTree(pid, root, parents)))
        {
            total += ProcessSeconds(pid, includeReaped: true) ?? 0;
        }

        return total;
    }

    private static bool IsInTree(int pid, int root, Dictionary<int, int> parents)
    {
        for (var current = pid; current > 1; current = parents.GetValueOrDefault(current))
        {
            if (current == root)
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<int, int> ParentsOfLiveProcesses()
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && StatFields(pid) is { } fields)
            {
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        return parents;
    }

    /// <summary>utime + stime (+ cutime + cstime) of one process, in seconds; null if it has gone.</summary>
    private static double? ProcessSeconds(int pid, bool includeReaped)
    {
        if (StatFields(pid) is not { } fields)
        {
            return null;
        }

        // After the command's closing parenthesis: state is field 3, so utime (14) is at index 11.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (includeReaped)
        {
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>The fields of <c>/proc/PID/stat</c> after the command name (which may hold spaces), from the state on.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int? ReadPid(string file)
    {
        try
        {
            var first = File.ReadLines(file).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>USER_HZ: 100 on every Linux this runs on; <c>getconf CLK_TCK</c> says so where it is installed.</summary>
    private static double ClockTicks()
    {
        try
        {
            using var getconf = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true });
            var text = getconf?.StandardOutput.ReadToEnd().Trim();
            getconf?.WaitForExit();
            return double.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var hz) && hz > 0 ? hz : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }
}

/// <summary>One reading of <see cref="ProcessCpu"/>: CPU seconds per server (null: not found) and of the load generator.</summary>
internal sealed record CpuReading(IReadOnlyList<(string Name, double? Seconds)> Servers, double LoadGenerator)
{
    /// <summary>Prints CPU milliseconds per call between <paramref name="before"/> and this reading, per server, the four together, and the load generator.</summary>
    public void ReportPerCall(CpuReading before, int calls, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(before);
        Report.Line("CPU window", string.Create(CultureInfo.InvariantCulture, $"{window.TotalSeconds:F1} s, {calls:N0} calls ({calls / window.TotalSeconds:F1}/s)"));
        var together = 0.0;
        var complete = true;
        foreach (var ((name, seconds), (_, earlier)) in Servers.Zip(before.Servers))
        {
            if (seconds is { } now && earlier is { } then)
            {
                together += now - then;
                Report.Line($"CPU per call: {name}", PerCall(now - then, calls, window));
            }
            else
            {
                complete = false;
                Report.Line($"CPU per call: {name}", "not measured (no pid file from run.sh, or the process changed)");
            }
        }

        Report.Line("CPU per call: the four servers", complete ? PerCall(together, calls, window) : "not measured (a server is missing)");
        Report.Line("CPU per call: the load generator", PerCall(LoadGenerator - before.LoadGenerator, calls, window));
    }

    private static string PerCall(double seconds, int calls, TimeSpan window) =>
        string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000 / Math.Max(calls, 1):F2} ms ({seconds:F1} s, {seconds / window.TotalSeconds * 100:F0} % of one core)");
}
