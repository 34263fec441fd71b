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
        while (!CountIn(_windows.GetOrAdd(key, static (_, start) => new Window { Start = start }, now), now))
        {
            // The sweep dropped that window between our lookup and our lock: count in a new one.
        }

        if (Interlocked.Increment(ref _failuresSinceSweep) % SweepEvery == 0)
        {
            foreach (var (expiredKey, expired) in _windows)
            {
                // Decided under the window's lock, so a failure counted in it meanwhile is never dropped with it.
                lock (expired)
                {
                    if (_clock.GetElapsedTime(expired.Start, now) >= window)
                    {
                        expired.Dropped = true;
                        _windows.TryRemove(new KeyValuePair<TKey, Window>(expiredKey, expired));
                    }
                }
            }
        }
    }

    private bool CountIn(Window counted, long now)
    {
        lock (counted)
        {
            if (counted.Dropped)
            {
                return false;
            }

            if (_clock.GetElapsedTime(counted.Start, now) >= window)
            {
                (counted.Start, counted.Count) = (now, 0);
            }

            counted.Count++;
            return true;
        }
    }

    private sealed class Window
    {
        public long Start;
        public int Count;
        public bool Dropped;
    }
}
