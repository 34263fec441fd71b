using System.Diagnostics;

namespace WalletPasses.Benchmarks;

/// <summary>
/// What a load cost: its rate, and the quantities a shared machine's load does not change much, per request: CPU time
/// of this process (benchmark client and app alike), CPU time of another process (Azurite), and bytes allocated here.
/// </summary>
public sealed record LoadCost(double RequestsPerSecond, double CpuMicrosecondsPerRequest, double OtherCpuMicrosecondsPerRequest, double AllocatedBytesPerRequest)
{
    public static LoadCost None { get; } = new(0, 0, 0, 0);

    /// <summary>Sums, for the mean of several samples (<c>/</c>).</summary>
    public static LoadCost operator +(LoadCost a, LoadCost b) => new(
        a.RequestsPerSecond + b.RequestsPerSecond, a.CpuMicrosecondsPerRequest + b.CpuMicrosecondsPerRequest,
        a.OtherCpuMicrosecondsPerRequest + b.OtherCpuMicrosecondsPerRequest, a.AllocatedBytesPerRequest + b.AllocatedBytesPerRequest);

    public static LoadCost operator /(LoadCost a, int samples) => new(
        a.RequestsPerSecond / samples, a.CpuMicrosecondsPerRequest / samples, a.OtherCpuMicrosecondsPerRequest / samples, a.AllocatedBytesPerRequest / samples);

    public override string ToString() =>
        $"{RequestsPerSecond,8:N0}/s  CPU {CpuMicrosecondsPerRequest,5:N0} µs here + {OtherCpuMicrosecondsPerRequest,5:N0} µs Azurite  {AllocatedBytesPerRequest / 1024,6:N1} KB allocated";
}

/// <summary>Closed-loop load: a number of concurrent callers repeating one request for a while.</summary>
public static class LoadRunner
{
    public static async Task<double> RequestsPerSecondAsync(Func<Task> request, int concurrency, TimeSpan duration)
    {
        var sample = await RunAsync(request, concurrency, duration, null);
        return sample.Completed / sample.Elapsed.TotalSeconds;
    }

    public static async Task<LoadCost> MeasureAsync(Func<Task> request, int concurrency, TimeSpan duration, Func<TimeSpan>? otherProcessCpu = null)
    {
        var sample = await RunAsync(request, concurrency, duration, otherProcessCpu);
        return sample.Cost(sample.Completed / sample.Elapsed.TotalSeconds);
    }

    /// <summary>Subject and reference in alternating slices, so machine noise hits both alike.</summary>
    public static async Task<(LoadCost Subject, LoadCost Reference)> CompareAsync(
        Func<Task> subject, Func<Task> reference, int concurrency, int rounds = 4, double secondsPerSlice = 1.5, Func<TimeSpan>? otherProcessCpu = null)
    {
        await RunAsync(subject, concurrency, TimeSpan.FromSeconds(0.5), null);
        await RunAsync(reference, concurrency, TimeSpan.FromSeconds(0.5), null);
        var (subjectTotal, referenceTotal) = (Sample.None, Sample.None);
        double subjectRates = 0, referenceRates = 0;
        for (var round = 0; round < rounds; round++)
        {
            var s = await RunAsync(subject, concurrency, TimeSpan.FromSeconds(secondsPerSlice), otherProcessCpu);
            var r = await RunAsync(reference, concurrency, TimeSpan.FromSeconds(secondsPerSlice), otherProcessCpu);
            (subjectTotal, referenceTotal) = (subjectTotal + s, referenceTotal + r);
            subjectRates += s.Completed / s.Elapsed.TotalSeconds;
            referenceRates += r.Completed / r.Elapsed.TotalSeconds;
        }

        return (subjectTotal.Cost(subjectRates / rounds), referenceTotal.Cost(referenceRates / rounds));
    }

    private static async Task<Sample> RunAsync(Func<Task> request, int concurrency, TimeSpan duration, Func<TimeSpan>? otherProcessCpu)
    {
        long completed = 0;
        var (cpu, other, allocated) = (Environment.CpuUsage.TotalTime, otherProcessCpu?.Invoke() ?? TimeSpan.Zero, GC.GetTotalAllocatedBytes());
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (stopwatch.Elapsed < duration)
            {
                await request();
                Interlocked.Increment(ref completed);
            }
        }));
        var elapsed = stopwatch.Elapsed;
        return new Sample(completed, elapsed, Environment.CpuUsage.TotalTime - cpu, (otherProcessCpu?.Invoke() ?? TimeSpan.Zero) - other, GC.GetTotalAllocatedBytes() - allocated);
    }

    private readonly record struct Sample(long Completed, TimeSpan Elapsed, TimeSpan Cpu, TimeSpan OtherCpu, long Allocated)
    {
        public static Sample None => default;

        public static Sample operator +(Sample a, Sample b) =>
            new(a.Completed + b.Completed, a.Elapsed + b.Elapsed, a.Cpu + b.Cpu, a.OtherCpu + b.OtherCpu, a.Allocated + b.Allocated);

        public LoadCost Cost(double requestsPerSecond) => new(
            requestsPerSecond, Cpu.TotalMicroseconds / Completed, OtherCpu.TotalMicroseconds / Completed, (double)Allocated / Completed);
    }
}
