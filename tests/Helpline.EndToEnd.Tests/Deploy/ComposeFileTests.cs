using Helpline.Testing;

namespace Helpline.EndToEnd.Tests.Deploy;

public sealed class ComposeFileTests
{
    [Fact]
    public async Task Compose_file_is_valid()
    {
        var (exitCode, output) = await ToolRunner.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config", "-q"], workingDirectory: TestServers.RepositoryRoot);

        Assert.True(exitCode == 0, output);
    }
}
