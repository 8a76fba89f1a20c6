using System.Text.Json;
using Helpline.Testing;

namespace Helpline.EndToEnd.Tests.Deploy;

/// <summary>The Grafana dashboard in deploy/grafana/dashboards, read as the tests need it.</summary>
internal static class GrafanaDashboard
{
    public static string DashboardsFolder => Path.Combine(TestServers.RepositoryRoot, "deploy", "grafana", "dashboards");

    public static IEnumerable<JsonElement> Panels()
    {
        foreach (var file in Directory.GetFiles(DashboardsFolder, "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var panel in document.RootElement.GetProperty("panels").EnumerateArray())
            {
                yield return panel.Clone();
            }
        }
    }

    /// <summary>Every PromQL expression of every panel, with the panel's title.</summary>
    public static IReadOnlyList<(string Panel, string Expression)> Expressions() =>
        Panels()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray()
                .Select(target => (panel.GetProperty("title").GetString()!, target.GetProperty("expr").GetString()!)))
            .ToList();

    /// <summary>The expressions as a Prometheus recording-rules file, so that promtool checks them.</summary>
    public static string AsRules()
    {
        var lines = new List<string> { "groups:", "  - name: helpline-dashboard", "    rules:" };
        var index = 0;
        foreach (var (_, expression) in Expressions())
        {
            lines.Add($"      - record: helpline:dashboard_expression_{++index}");
            lines.Add($"        expr: {JsonSerializer.Serialize(expression)}");
        }

        return string.Join('\n', lines) + "\n";
    }
}
