using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// Everything the app hands to a log provider, as a provider would render it: the message, every structured
/// value and every scope value (what a JSON console or Application Insights would store), and exceptions.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static string Render(object? state) => state switch
    {
        null => "",
        IEnumerable<KeyValuePair<string, object?>> values => string.Join(" ", values.Select(v => $"{v.Key}={Convert.ToString(v.Value, CultureInfo.InvariantCulture)}")) + " " + state,
        _ => state.ToString() ?? "",
    };

    private sealed class Logger(string category, LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            capture._scopes?.ForEachScope((scope, list) => list.Add(Render(scope)), scopes);
            capture._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {Render(state)} | {string.Join(" / ", scopes)} | {exception}");
        }
    }
}
