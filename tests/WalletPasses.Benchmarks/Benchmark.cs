using System.Diagnostics;

namespace WalletPasses.Benchmarks;

public static class Benchmark
{
    /// <summary>
    /// Runs a subject and its reference in alternating short slices on this thread, so a machine that
    /// speeds up or slows down mid-run affects both alike and their ratio stays meaningful.
    /// </summary>
    public static (double SubjectPerSecond, double ReferencePerSecond, long SubjectBytesPerOperation) Compare(
        Func<object> subject, Func<object> reference, int rounds = 10, double secondsPerSlice = 0.5)
    {
        for (var i = 0; i < 50; i++)
        {
            subject();
            reference();
        }

        GC.Collect();
        var subjectTime = TimeSpan.Zero;
        var referenceTime = TimeSpan.Zero;
        long subjectCount = 0, referenceCount = 0, subjectBytes = 0;
        var slice = TimeSpan.FromSeconds(secondsPerSlice);
        for (var round = 0; round < rounds; round++)
        {
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var (elapsed, count) = RunFor(subject, slice);
            subjectBytes += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            subjectTime += elapsed;
            subjectCount += count;
            (elapsed, count) = RunFor(reference, slice);
            referenceTime += elapsed;
            referenceCount += count;
        }

        return (subjectCount / subjectTime.TotalSeconds, referenceCount / referenceTime.TotalSeconds, subjectBytes / subjectCount);
    }

    private static (TimeSpan Elapsed, long Count) RunFor(Func<object> operation, TimeSpan duration)
    {
        var stopwatch = Stopwatch.StartNew();
        long count = 0;
        while (stopwatch.Elapsed < duration)
        {
            GC.KeepAlive(operation());
            count++;
        }

        return (stopwatch.Elapsed, count);
    }
}
