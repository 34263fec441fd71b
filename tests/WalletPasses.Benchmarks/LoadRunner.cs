using System.Diagnostics;

namespace WalletPasses.Benchmarks;

/// <summary>Closed-loop load: a number of concurrent callers repeating one request for a while.</summary>
public static class LoadRunner
{
    public static async Task<double> RequestsPerSecondAsync(Func<Task> request, int concurrency, TimeSpan duration)
    {
        long completed = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (stopwatch.Elapsed < duration)
            {
                await request();
                Interlocked.Increment(ref completed);
            }
        }));
        return completed / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Subject and reference in alternating slices, so machine noise hits both alike.</summary>
    public static async Task<(double Subject, double Reference)> CompareAsync(Func<Task> subject, Func<Task> reference, int concurrency, int rounds = 4, double secondsPerSlice = 1.5)
    {
        await RequestsPerSecondAsync(subject, concurrency, TimeSpan.FromSeconds(0.5));
        await RequestsPerSecondAsync(reference, concurrency, TimeSpan.FromSeconds(0.5));
        double subjectTotal = 0, referenceTotal = 0;
        for (var round = 0; round < rounds; round++)
        {
            subjectTotal += await RequestsPerSecondAsync(subject, concurrency, TimeSpan.FromSeconds(secondsPerSlice));
            referenceTotal += await RequestsPerSecondAsync(reference, concurrency, TimeSpan.FromSeconds(secondsPerSlice));
        }

        return (subjectTotal / rounds, referenceTotal / rounds);
    }
}
