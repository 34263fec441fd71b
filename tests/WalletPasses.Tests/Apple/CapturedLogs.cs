using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WalletPasses.Tests.Apple;

public sealed record LogEntry(string Category, LogLevel Level, string Message);

/// <summary>Everything the app logs at the levels its configuration lets through, as the operator's log sink would receive it.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, $"{formatter(state, exception)} {exception}".TrimEnd()));
    }
}
