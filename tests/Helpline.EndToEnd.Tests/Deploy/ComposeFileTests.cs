using Helpline.Testing;

namespace Helpline.EndToEnd.Tests.Deploy;

public sealed class ComposeFileTests
{
    [Fact]
    public async Task Compose_file_is_valid_with_the_generated_secrets_and_refused_without_them()
    {
        var folder = Directory.CreateTempSubdirectory("helpline-compose-");
        try
        {
            var envFile = Path.Combine(folder.FullName, ".env");
            var empty = Path.Combine(folder.FullName, "empty.env");
            await File.WriteAllTextAsync(empty, "");
            var (generated, generatedOutput) = await ToolRunner.RunAsync("bash", ["deploy/compose-env.sh", envFile], workingDirectory: TestServers.RepositoryRoot);
            Assert.True(generated == 0, generatedOutput);
            var first = await File.ReadAllTextAsync(envFile);
            await ToolRunner.RunAsync("bash", ["deploy/compose-env.sh", envFile], workingDirectory: TestServers.RepositoryRoot);

            var (valid, output) = await ToolRunner.RunAsync("docker-compose", ["--env-file", envFile, "-f", "docker-compose.yml", "config", "-q"], workingDirectory: TestServers.RepositoryRoot);
            var (withoutSecrets, refusal) = await ToolRunner.RunAsync("docker-compose", ["--env-file", empty, "-f", "docker-compose.yml", "config", "-q"], workingDirectory: TestServers.RepositoryRoot);

            Assert.True(valid == 0, output);
            Assert.Equal(first, await File.ReadAllTextAsync(envFile));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(envFile));
            }

            Assert.True(withoutSecrets != 0, "compose accepted a run without secrets");
            Assert.Contains("compose-env.sh", refusal, StringComparison.Ordinal);
            Assert.DoesNotContain("ZGV2ZWxvcG1lbnQtb25seS", await File.ReadAllTextAsync(Path.Combine(TestServers.RepositoryRoot, "docker-compose.yml")), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Services_connect_as_their_own_role_and_user_and_the_broker_publishes_no_port()
    {
        var folder = Directory.CreateTempSubdirectory("helpline-compose-");
        try
        {
            var envFile = Path.Combine(folder.FullName, ".env");
            await ToolRunner.RunAsync("bash", ["deploy/compose-env.sh", envFile], workingDirectory: TestServers.RepositoryRoot);
            var (valid, config) = await ToolRunner.RunAsync("docker-compose", ["--env-file", envFile, "-f", "docker-compose.yml", "config"], workingDirectory: TestServers.RepositoryRoot);
            Assert.True(valid == 0, config);
            var services = Services(config);

            foreach (var (service, role, user) in new[] { ("intake", "helpline_intake", "helpline-intake"), ("console", "helpline_console", "helpline-console") })
            {
                var postgres = Setting(services[service], "ConnectionStrings__Postgres");
                var rabbitMq = Setting(services[service], "ConnectionStrings__RabbitMq");
                Assert.Contains($"Username={role};", postgres, StringComparison.Ordinal);
                Assert.StartsWith($"amqp://{user}:", rabbitMq, StringComparison.Ordinal);
                Assert.EndsWith("@rabbitmq:5672/helpline", rabbitMq, StringComparison.Ordinal);
                Assert.Contains("service_completed_successfully", services[service], StringComparison.Ordinal);
            }

            Assert.DoesNotContain("Username=postgres", config, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("guest", config, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("ports:", services["rabbitmq"], StringComparison.Ordinal);
            Assert.DoesNotContain("ports:", services["postgres"], StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Each service's block of <c>docker-compose config</c>'s output (two-space indented names under <c>services:</c>).</summary>
    private static Dictionary<string, string> Services(string config)
    {
        var lines = config.Split('\n');
        var start = Array.IndexOf(lines, "services:");
        var blocks = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        var block = new System.Text.StringBuilder();
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => l.Length == 0 || l.StartsWith(' ')))
        {
            if (line.Length > 2 && line[2] != ' ' && line.EndsWith(':'))
            {
                if (name is not null)
                {
                    blocks[name] = block.ToString();
                }

                name = line.Trim().TrimEnd(':');
                block.Clear();
            }
            else
            {
                block.AppendLine(line);
            }
        }

        if (name is not null)
        {
            blocks[name] = block.ToString();
        }

        return blocks;
    }

    private static string Setting(string block, string name) =>
        block.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..].Trim()
        ?? throw new InvalidOperationException($"{name} is not set");
}
