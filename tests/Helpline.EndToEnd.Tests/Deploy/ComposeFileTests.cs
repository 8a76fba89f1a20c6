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
}
