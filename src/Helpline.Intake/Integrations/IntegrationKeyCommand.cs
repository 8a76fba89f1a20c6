namespace Helpline.Intake.Integrations;

/// <summary>
/// The admin's command for integration keys, run on the server with the service's own configuration
/// (who can run it can already read Intake's database, so it is the admin's door):
/// <code>
/// Helpline.Intake integration-key create NAME SCOPES FILE   a new key with comma-separated SCOPES, written to FILE (mode 600)
/// Helpline.Intake integration-key revoke NAME               refused from the next request on
/// Helpline.Intake integration-key list                      names, scopes, created, revoked (never keys)
/// </code>
/// The key goes to a file, not the terminal or a log, and is never shown again.
/// </summary>
internal static class IntegrationKeyCommand
{
    public const string Verb = "integration-key";

    /// <summary>Runs the command <paramref name="args"/> names; false when they are not an integration-key command.</summary>
    /// <exception cref="InvalidOperationException">The command is malformed or cannot be carried out; the message says why.</exception>
    public static async Task<bool> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        if (args is not [Verb, ..])
        {
            return false;
        }

        await using var scope = services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<IntegrationKeys>();
        switch (args)
        {
            case [_, "create", var name, var scopeList, var file]:
                await CreateAsync(keys, name, scopeList, file, output);
                break;
            case [_, "revoke", var name]:
                if (!await keys.RevokeAsync(name, CancellationToken.None))
                {
                    throw new InvalidOperationException($"There is no current integration key named '{name}'.");
                }

                await output.WriteLineAsync($"Revoked the integration key '{name}'.");
                break;
            case [_, "list"]:
                foreach (var key in await keys.ListAsync(CancellationToken.None))
                {
                    await output.WriteLineAsync($"{key.Name}\t{string.Join(',', key.Scopes)}\tcreated {key.CreatedAt:u}\t{(key.RevokedAt is { } revoked ? $"revoked {revoked:u}" : "current")}");
                }

                break;
            default:
                throw new InvalidOperationException($"Usage: {Verb} create NAME SCOPES FILE | {Verb} revoke NAME | {Verb} list (scopes: {string.Join(", ", IntegrationScopes.All)}).");
        }

        return true;
    }

    private static async Task CreateAsync(IntegrationKeys keys, string name, string scopeList, string file, TextWriter output)
    {
        var scopes = scopeList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (scopes.Length == 0 || scopes.Any(scope => !IntegrationScopes.All.Contains(scope)))
        {
            throw new InvalidOperationException($"SCOPES must be a comma-separated list of: {string.Join(", ", IntegrationScopes.All)}.");
        }

        if (name.Length is 0 or > IntegrationKey.MaxNameLength)
        {
            throw new InvalidOperationException($"NAME must be 1 to {IntegrationKey.MaxNameLength} characters.");
        }

        var key = await keys.CreateAsync(name, scopes, CancellationToken.None)
            ?? throw new InvalidOperationException($"An integration key named '{name}' exists already (revoked keys keep their names): choose another name.");
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(file, fileOptions))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(key);
        }

        await output.WriteLineAsync($"Created the integration key '{name}' ({string.Join(',', scopes)}); the key is in {file}.");
    }
}
