using System.Collections.Concurrent;

namespace WalletPasses.Apple;

/// <summary>
/// Failures counted per key in fixed windows that start at a key's first failure, kept in this instance's memory only
/// for keys that failed: checking a key that never failed reads one dictionary and creates nothing, so the devices
/// that authenticate (nearly all of them) cost no counter, lock or timer, however many fetch at once.
/// Windows that are over are dropped as failures come in.
/// </summary>
/// <param name="clock">The wall clock (the default), as a rate limiter's: it paces guessing, it is not business time.</param>
internal sealed class FailureWindows<TKey>(int permits, TimeSpan window, TimeProvider? clock = null)
    where TKey : notnull
{
    private const int SweepEvery = 1024;

    private readonly ConcurrentDictionary<TKey, Window> _windows = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private int _failuresSinceSweep;

    /// <summary>Keys with a failure counted (windows over included, until swept).</summary>
    public int Tracked => _windows.Count;

    /// <summary>How long until <paramref name="key"/> may try again, or null when it has failures left.</summary>
    public TimeSpan? RetryAfter(TKey key)
    {
        if (!_windows.TryGetValue(key, out var counted))
        {
            return null;
        }

        lock (counted)
        {
            var left = window - _clock.GetElapsedTime(counted.Start);
            return left > TimeSpan.Zero && counted.Count >= permits ? left : null;
        }
    }

    public void Failed(TKey key)
    {
        var now = _clock.GetTimestamp();
        var counted = _windows.GetOrAdd(key, static (_, start) => new Window { Start = start }, now);
        lock (counted)
        {
            if (_clock.GetElapsedTime(counted.Start, now) >= window)
            {
                (counted.Start, counted.Count) = (now, 0);
            }

            counted.Count++;
        }

        if (Interlocked.Increment(ref _failuresSinceSweep) % SweepEvery == 0)
        {
            foreach (var (expiredKey, expired) in _windows.Where(w => _clock.GetElapsedTime(w.Value.Start, now) >= window))
            {
                _windows.TryRemove(new KeyValuePair<TKey, Window>(expiredKey, expired));
            }
        }
    }

    private sealed class Window
    {
        public long Start;
        public int Count;
    }
}
