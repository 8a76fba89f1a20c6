using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Helpline.Intake.Tests;

/// <summary>
/// Every log entry the service writes, at every level, as text: the formatted message, each structured
/// value, scopes and exceptions. Tests search it for caller data that must never be logged.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Entries => _entries;

    /// <summary>The entries that contain <paramref name="text"/>.</summary>
    public IReadOnlyList<string> Containing(string text) => _entries.Where(e => e.Contains(text, StringComparison.Ordinal)).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => logs._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = new System.Text.StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    entry.Append(" | ").Append(key).Append('=').Append(value);
                }
            }

            logs._scopes.ForEachScope((scope, builder) => builder.Append(" | scope ").Append(scope), entry);
            if (exception is not null)
            {
                entry.Append(" | ").Append(exception);
            }

            logs._entries.Enqueue(entry.ToString());
        }
    }
}
