using System.Diagnostics;
using System.Net.Http.Headers;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Benchmarks;

/// <summary>
/// Loyalty events from HTTP accept to APNs push sent, against Azurite and the loopback APNs emulator,
/// next to the raw rate of the same storage operations per event (queue put, receive and delete, member
/// read, two-row transaction, registrations query) measured in the same run, in alternating rounds. Each side also
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

        // Subject and reference in alternating rounds, each after a warm-up (JIT, connection pools), so the machine's load
        // and the members table's growth (Azurite finds rows by scanning) weigh on both alike.
        var memberIds = devices.Select(d => d.Pass.MemberId).ToArray();
        var referenceEvent = await ReferenceEventAsync(azurite.ConnectionString, factory.StoragePrefix, memberIds);
        await SendAllAsync(WarmUpEvents);
        await LoadRunner.RequestsPerSecondAsync(referenceEvent, Concurrency, TimeSpan.FromSeconds(1));
        var (pipeline, reference) = (LoadCost.None, LoadCost.None);
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
            reference += await LoadRunner.MeasureAsync(referenceEvent, Concurrency, TimeSpan.FromSeconds(ReferenceSecondsPerRound), () => azurite.ProcessorTime);
        }

        (pipeline, reference) = (pipeline / Rounds, reference / Rounds);
        var (pipelineRate, storageRate) = (pipeline.RequestsPerSecond, reference.RequestsPerSecond);

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
        Console.WriteLine($"raw storage ops of one event:     {reference}   (reference, {Concurrency} concurrent)");
        Console.WriteLine($"events, HTTP accept to push sent: {pipeline}   (per event: app, benchmark client and APNs emulator here)");
        Console.WriteLine($"ratio: {pipelineRate / storageRate:N2}x the reference (target >= 0.8x); load average {LoadAverage()}");
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

    /// <summary>
    /// The storage work of one event done directly with the SDK, no app in between: queue put, receive and delete, the
    /// member row's point read, the transaction of the applied-event row and the member row (replaced under its ETag),
    /// and the query of the member's device registrations. On rows like the app's: each reference member row is a copy of
    /// a benchmark member's row (the same properties and size), in as many partitions as the benchmark has members, and
    /// the registrations queried are those of the benchmark member of the same number.
    /// </summary>
    private static async Task<Func<Task>> ReferenceEventAsync(string connectionString, string prefix, string[] memberIds)
    {
        var queue = new QueueClient(connectionString, prefix + "benchmark-raw", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        var table = new TableClient(connectionString, prefix + "members");
        for (var i = 0; i < memberIds.Length; i++)
        {
            var copy = new TableEntity((await table.GetEntityAsync<TableEntity>(memberIds[i], "member")).Value) { PartitionKey = $"raw-{i}", RowKey = "member" };
            copy.Remove("Timestamp"); // set by storage, not written
            copy.Remove("odata.etag");
            await table.UpsertEntityAsync(copy, TableUpdateMode.Replace);
        }

        var count = 0;
        return async () =>
        {
            var n = Interlocked.Increment(ref count);
            await queue.SendMessageAsync("{\"eventId\":\"x\"}");
            var received = await queue.ReceiveMessageAsync();
            if (received.Value is { } message)
            {
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }

            var member = n % memberIds.Length;
            var rawMemberId = $"raw-{member}";
            var entity = (await table.GetEntityAsync<TableEntity>(rawMemberId, "member")).Value;
            entity["Points"] = (long)n;
            try
            {
                await table.SubmitTransactionAsync([new(TableTransactionActionType.Add, new TableEntity(rawMemberId, $"event|{n}")), new(TableTransactionActionType.UpdateReplace, entity, entity.ETag)]);
            }
            catch (TableTransactionFailedException)
            {
                // A concurrent caller updated the same row: that costs a retry in the app too.
            }

            var memberId = memberIds[member];
            await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == memberId && e.RowKey.CompareTo("reg|") >= 0 && e.RowKey.CompareTo("reg}") < 0))
            {
            }
        };
    }
}
