using System.Collections.Concurrent;

namespace WalletPasses.Telemetry;

/// <summary>
/// For a log line that an anonymous caller can cause once per request: per key (a reason, from a small fixed set), the
/// first occurrence of a window is written and the others in it are only counted; the next line written for the key
/// says how many were left out since the one before. The log grows with keys and windows, not with requests.
/// </summary>
/// <param name="clock">The wall clock by default; a test's clock to move windows on.</param>
internal sealed class LogWindows<TKey>(TimeSpan window, TimeProvider? clock = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Window> _windows = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>
    /// Null when this occurrence is only counted; otherwise write the line, with the number of occurrences left out
    /// since the key's previous line.
    /// </summary>
    public long? Occurred(TKey key)
    {
        var now = _clock.GetTimestamp();
        var counted = _windows.GetOrAdd(key, static _ => new Window());
        lock (counted)
        {
            if (counted.Written && _clock.GetElapsedTime(counted.Start, now) < window)
            {
                counted.LeftOut++;
                return null;
            }

            var leftOut = counted.LeftOut;
            (counted.Start, counted.LeftOut, counted.Written) = (now, 0, true);
            return leftOut;
        }
    }

    private sealed class Window
    {
        public long Start;
        public long LeftOut;
        public bool Written;
    }
}
