using System.Collections;

namespace WalletPasses.Security;

/// <summary>
/// Wraps the app's logger factory so every message, structured value and scope passes
/// <see cref="LogRedaction"/> before any provider sees it. Lines with nothing to redact pass unchanged.
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull =>
            RedactedState.From(state, state.ToString() ?? "") is { } redacted ? inner.BeginScope(redacted) : inner.BeginScope(state);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            if (RedactedState.From(state, formatter(state, exception)) is { } redacted)
            {
                inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.Message);
            }
            else
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }

    /// <summary>A log state with the sensitive parts of its message and values replaced.</summary>
    private sealed class RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        /// <summary>The redacted state, or null when nothing in it needs redacting.</summary>
        public static RedactedState? From<TState>(TState state, string message)
        {
            var original = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            var changed = false;
            var values = new List<KeyValuePair<string, object?>>();
            foreach (var (key, value) in original)
            {
                var text = value as string ?? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                if (text is { Length: > 0 } && key != "{OriginalFormat}" && LogRedaction.SensitiveValueNames.Contains(key))
                {
                    message = message.Replace(text, LogRedaction.Redacted, StringComparison.Ordinal);
                    values.Add(new(key, LogRedaction.Redacted));
                    changed = true;
                }
                else if (text is not null && key != "{OriginalFormat}" && LogRedaction.Redact(text) is var redactedText && redactedText != text)
                {
                    values.Add(new(key, redactedText));
                    changed = true;
                }
                else
                {
                    values.Add(new(key, value));
                }
            }

            var redactedMessage = LogRedaction.Redact(message);
            return changed || redactedMessage != message ? new RedactedState(redactedMessage, values) : null;
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
