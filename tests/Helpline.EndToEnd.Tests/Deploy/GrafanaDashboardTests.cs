using Helpline.Testing;

namespace Helpline.EndToEnd.Tests.Deploy;

public sealed class GrafanaDashboardTests
{
    [Fact]
    public async Task Every_dashboard_expression_passes_promtool_check_rules()
    {
        var rules = Path.Combine(Path.GetTempPath(), $"helpline-dashboard-{Guid.NewGuid():N}.rules.yml");
        await File.WriteAllTextAsync(rules, GrafanaDashboard.AsRules());
        try
        {
            var (exitCode, output) = await ToolRunner.RunAsync("promtool", ["check", "rules", rules]);

            Assert.True(exitCode == 0, output);
            Assert.Contains($"{GrafanaDashboard.Expressions().Count} rules found", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(rules);
        }
    }

    [Fact]
    public void Every_panel_reads_the_provisioned_data_source()
    {
        var provisioned = File.ReadAllText(Path.Combine(TestServers.RepositoryRoot, "deploy", "grafana", "provisioning", "datasources", "prometheus.yml"));

        Assert.NotEmpty(GrafanaDashboard.Expressions());
        foreach (var panel in GrafanaDashboard.Panels())
        {
            var uid = panel.GetProperty("datasource").GetProperty("uid").GetString();
            Assert.Contains($"uid: {uid}", provisioned, StringComparison.Ordinal);
        }
    }
}
