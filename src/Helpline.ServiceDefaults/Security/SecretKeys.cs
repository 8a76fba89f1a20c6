using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Helpline.ServiceDefaults.Security;

/// <summary>
/// The rule every secret key of the services obeys outside Development: present, base64 of at least 32
/// bytes, and not a value somebody wrote. A key made of printable text ("development-only-field-key-…",
/// "test-key-…": every key ever committed to this repository) is refused, since random bytes are
/// printable text with a chance of about 1 in 10^17 for 32 bytes.
/// </summary>
public static class SecretKeys
{
    public const int MinBytes = 32;

    /// <summary>Why <paramref name="key"/> is not a usable secret, or null when it is.</summary>
    public static string? Problem(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return "is missing";
        }

        var bytes = new byte[key.Length];
        if (!Convert.TryFromBase64String(key.Trim(), bytes, out var length))
        {
            return "is not base64";
        }

        if (length < MinBytes)
        {
            return $"is shorter than {MinBytes} bytes";
        }

        return bytes.AsSpan(0, length).IndexOfAnyExceptInRange((byte)0x20, (byte)0x7e) < 0
            ? "is a development value (readable text, not random bytes): generate one with head -c 32 /dev/urandom | base64"
            : null;
    }

    /// <summary>
    /// Refuses, at start and outside Development, options whose key (<paramref name="key"/>, named
    /// <paramref name="name"/> in the message) is missing, too short or a development value.
    /// </summary>
    public static IServiceCollection AddSecretKeyCheck<TOptions>(this IServiceCollection services, string name, Func<TOptions, string?> key)
        where TOptions : class =>
        services.AddSecretKeysCheck<TOptions>(options => [(name, key(options))]);

    /// <summary>
    /// <see cref="AddSecretKeyCheck"/> for options holding several keys (a key ring): each named key
    /// <paramref name="keys"/> gives must be a random key.
    /// </summary>
    public static IServiceCollection AddSecretKeysCheck<TOptions>(this IServiceCollection services, Func<TOptions, IEnumerable<(string Name, string? Key)>> keys)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(provider =>
            new SecretKeyValidator<TOptions>(provider.GetRequiredService<IHostEnvironment>(), keys));
        return services;
    }

    private sealed class SecretKeyValidator<TOptions>(IHostEnvironment environment, Func<TOptions, IEnumerable<(string Name, string? Key)>> keys) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? optionsName, TOptions options)
        {
            if (environment.IsDevelopment())
            {
                return ValidateOptionsResult.Success;
            }

            var failures = keys(options)
                .Where(k => Problem(k.Key) is not null)
                .Select(k => $"{k.Name} {Problem(k.Key)} (the {environment.EnvironmentName} environment accepts only a random key; deploy/local/run.sh generates one into .data/secrets).")
                .ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
