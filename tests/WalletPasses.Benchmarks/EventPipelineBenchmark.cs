using System.Diagnostics;
using System.Net.Http.Headers;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Benchmarks;

/// <summary>
/// Loyalty events from HTTP accept to APNs push sent, against Azurite and the loopback APNs emulator,
/// next to the raw rate of the same storage operations per event (<see cref="RawEventStorage"/>: queue put, receive and
/// delete, member read with the registrations it carries, the event's transaction with its announcement, the announcement's save)
/// measured in the same run and table, in alternating rounds; and next to the old reference without the outbox. Each side also
/// reports its CPU time (here and in Azurite) and bytes allocated per event, which the machine's load moves far less
/// than the rates. Then the accept-to-push latency at half the measured rate.
/// </summary>
public static class EventPipelineBenchmark
{
    private const int Members = 100;
    private const int Events = 3_000;
    private const int WarmUpEvents = 500;
    private const int Rounds = 6;
    private const double ReferenceSecondsPerRound = 1.5;
    private const int Concurrency = 32;

    public static async Task RunAsync(string[] args)
    {
        await using var app = await BenchmarkApp.StartAsync();
        var (azurite, factory) = (app.Azurite, app.Factory);
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WalletPassesFactory.BackendKey);

        var devices = await InstallDevicesAsync(client, factory, Members);

        long sequence = 0;
        var tokens = devices.Select(d => d.PushToken).ToHashSet();
        int PushesSoFar() => SharedApns.Emulator.Pushes.Count(p => tokens.Contains(p.PushToken));

        // Throughput: post every event in batches of 100 as fast as accepted, then wait for every push. A warm-up
        // first (the reference gets one too), so both sides are measured in steady state, not while the JIT compiles.
        async Task SendAllAsync(int count)
        {
            var before = PushesSoFar();
            for (var start = 0; start < count; start += 100)
            {
                var batch = Enumerable.Range(start, 100).Select(i => TestMembers.PointsEvent(devices[i % Members].Pass.MemberId, Interlocked.Increment(ref sequence), 1000 + i));
                (await client.PostAsync("/api/loyalty-events", TestMembers.Json("[" + string.Join(",", batch) + "]"))).EnsureSuccessStatusCode();
            }

            while (PushesSoFar() - before < count)
            {
                await Task.Delay(10);
            }
        }

        // Subject and references in alternating rounds, each after a warm-up (JIT, connection pools), so the machine's load
        // and the members table's growth (Azurite finds rows by scanning) weigh on all alike. The references are set up
        // after the warm-up, from the members' partitions as the app's events filled them (see RawEventStorage).
        var memberIds = devices.Select(d => d.Pass.MemberId).ToArray();
        await SendAllAsync(WarmUpEvents);
        var raw = await RawEventStorage.CopyAsync(azurite.ConnectionString, factory.StoragePrefix, memberIds, "raw", TestMembers.PointsEvent(memberIds[0], 1, 1000));
        Func<Task> withoutOutbox = () => raw.EventAsync(withOutbox: false), withOutbox = () => raw.EventAsync(withOutbox: true);
        await LoadRunner.RequestsPerSecondAsync(withOutbox, Concurrency, TimeSpan.FromSeconds(1));
        var (pipeline, reference, oldReference) = (LoadCost.None, LoadCost.None, LoadCost.None);
        for (var round = 0; round < Rounds; round++)
        {
            var (cpu, azuriteCpu, allocated) = (Environment.CpuUsage.TotalTime, azurite.ProcessorTime, GC.GetTotalAllocatedBytes());
            var stopwatch = Stopwatch.StartNew();
            await SendAllAsync(Events / Rounds);
            pipeline += new LoadCost(
                Events / Rounds / stopwatch.Elapsed.TotalSeconds,
                (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / (Events / Rounds),
                (azurite.ProcessorTime - azuriteCpu).TotalMicroseconds / (Events / Rounds),
                (GC.GetTotalAllocatedBytes() - allocated) / (double)(Events / Rounds));
            reference += await LoadRunner.MeasureAsync(withOutbox, Concurrency, TimeSpan.FromSeconds(ReferenceSecondsPerRound), () => azurite.ProcessorTime);
            oldReference += await LoadRunner.MeasureAsync(withoutOutbox, Concurrency, TimeSpan.FromSeconds(ReferenceSecondsPerRound / 2), () => azurite.ProcessorTime);
        }

        (pipeline, reference, oldReference) = (pipeline / Rounds, reference / Rounds, oldReference / Rounds);
        var (pipelineRate, storageRate) = (pipeline.RequestsPerSecond, reference.RequestsPerSecond);
        var tableRows = await raw.CountRowsAsync();

        // Latency at half the measured rate: one event at a time, paced.
        var latencies = new List<double>();
        var interval = TimeSpan.FromSeconds(2 / pipelineRate);
        var pending = new List<(string Token, int PushesBefore, long AcceptedAt)>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Math.Min(400, (int)(pipelineRate * 4)); i++)
        {
            var (pass, token) = devices[i % Members];
            var pushesBefore = SharedApns.Emulator.Pushes.Count(p => p.PushToken == token);
            (await client.PostAsync("/api/loyalty-events", TestMembers.Json(TestMembers.PointsEvent(pass.MemberId, Interlocked.Increment(ref sequence), 5000 + i)))).EnsureSuccessStatusCode();
            pending.Add((token, pushesBefore, clock.ElapsedTicks));
            var next = interval * (i + 1);
            if (clock.Elapsed < next)
            {
                await Task.Delay(next - clock.Elapsed);
            }
        }

        foreach (var (token, pushesBefore, acceptedAt) in pending)
        {
            while (true)
            {
                var push = SharedApns.Emulator.Pushes.Where(p => p.PushToken == token).Skip(pushesBefore).FirstOrDefault();
                if (push is not null)
                {
                    var acceptedWallClock = DateTimeOffset.UtcNow - TimeSpan.FromTicks((long)((clock.ElapsedTicks - acceptedAt) * (TimeSpan.TicksPerSecond / (double)Stopwatch.Frequency)));
                    latencies.Add(Math.Max(0, (push.ReceivedAt - acceptedWallClock).TotalMilliseconds));
                    break;
                }

                await Task.Delay(5);
            }
        }

        latencies.Sort();
        Console.WriteLine($"== Event pipeline ({Members} members with a registered device, Azurite, APNs emulator) ==");
        Console.WriteLine($"raw storage ops of one event:     {reference}   (reference, {Concurrency} concurrent, in the app's table: {tableRows:N0} rows at the end)");
        Console.WriteLine($"  without the outbox (old ref.):  {oldReference}   (no announcement in the transaction, no announcement save, registrations queried)");
        Console.WriteLine($"events, HTTP accept to push sent: {pipeline}   (per event: app, benchmark client and APNs emulator here)");
        Console.WriteLine($"ratio: {pipelineRate / storageRate:N2}x the reference (target >= 0.8x); {pipelineRate / oldReference.RequestsPerSecond:N2}x the old reference without the outbox; load average {LoadAverage()}");
        Console.WriteLine($"accept-to-push latency at half load:    p50 {latencies[latencies.Count / 2],6:N0} ms, p95 {latencies[(int)(latencies.Count * 0.95)],6:N0} ms   (target p95 <= 500 ms)");
    }

    /// <summary>Members, each with an installed pass and one registered simulated device.</summary>
    public static async Task<List<(InstalledPass Pass, string PushToken)>> InstallDevicesAsync(HttpClient client, WalletPassesFactory factory, int members)
    {
        var devices = new List<(InstalledPass Pass, string PushToken)>();
        for (var i = 0; i < members; i++)
        {
            var pass = await DeviceRefetchBenchmark.InstallPassAsync(client);
            var device = new SimulatedDevice(factory);
            using var register = new HttpRequestMessage(HttpMethod.Post, "/api/passkit" + device.RegistrationPath(pass)) { Content = SimulatedDevice.JsonContent($$"""{"pushToken": "{{device.PushToken}}"}""") };
            register.Headers.TryAddWithoutValidation("Authorization", device.Authorization(pass));
            (await client.SendAsync(register)).EnsureSuccessStatusCode();
            devices.Add((pass, device.PushToken));
        }

        return devices;
    }

    /// <summary>The 1-, 5- and 15-minute load averages, which move the rates (not the per-event costs).</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
