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
/// read, two-row transaction, registrations query) measured in the same run. Then the accept-to-push
/// latency at half the measured rate.
/// </summary>
public static class EventPipelineBenchmark
{
    private const int Members = 100;
    private const int Events = 3_000;
    private const int Concurrency = 32;

    public static async Task RunAsync(string[] args)
    {
        await using var app = await BenchmarkApp.StartAsync();
        var (azurite, factory) = (app.Azurite, app.Factory);
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WalletPassesFactory.BackendKey);

        var devices = new List<(InstalledPass Pass, string PushToken)>();
        for (var i = 0; i < Members; i++)
        {
            var pass = await DeviceRefetchBenchmark.InstallPassAsync(client);
            var device = new SimulatedDevice(factory);
            using var register = new HttpRequestMessage(HttpMethod.Post, "/api/passkit" + device.RegistrationPath(pass)) { Content = SimulatedDevice.JsonContent($$"""{"pushToken": "{{device.PushToken}}"}""") };
            register.Headers.TryAddWithoutValidation("Authorization", device.Authorization(pass));
            (await client.SendAsync(register)).EnsureSuccessStatusCode();
            devices.Add((pass, device.PushToken));
        }

        long sequence = 0;
        var tokens = devices.Select(d => d.PushToken).ToHashSet();
        int PushesSoFar() => SharedApns.Emulator.Pushes.Count(p => tokens.Contains(p.PushToken));

        // Throughput: post every event in batches of 100 as fast as accepted, then wait for every push.
        var before = PushesSoFar();
        var stopwatch = Stopwatch.StartNew();
        for (var start = 0; start < Events; start += 100)
        {
            var batch = Enumerable.Range(start, 100).Select(i => TestMembers.PointsEvent(devices[i % Members].Pass.MemberId, Interlocked.Increment(ref sequence), 1000 + i));
            (await client.PostAsync("/api/loyalty-events", TestMembers.Json("[" + string.Join(",", batch) + "]"))).EnsureSuccessStatusCode();
        }

        while (PushesSoFar() - before < Events)
        {
            await Task.Delay(10);
        }

        var pipelineRate = Events / stopwatch.Elapsed.TotalSeconds;
        var storageRate = await RawStorageRateAsync(azurite.ConnectionString, factory.StoragePrefix, devices[0].Pass.MemberId);

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
        Console.WriteLine($"raw storage ops of one event:           {storageRate,10:N0} /s   (reference, {Concurrency} concurrent)");
        Console.WriteLine($"events, HTTP accept to push sent:       {pipelineRate,10:N0} /s   ({pipelineRate / storageRate:N2}x the reference; target >= 0.6x)");
        Console.WriteLine($"accept-to-push latency at half load:    p50 {latencies[latencies.Count / 2],6:N0} ms, p95 {latencies[(int)(latencies.Count * 0.95)],6:N0} ms   (target p95 <= 500 ms)");
    }

    /// <summary>The storage work of one event done directly with the SDK, no app in between.</summary>
    private static async Task<double> RawStorageRateAsync(string connectionString, string prefix, string memberId)
    {
        var queue = new QueueClient(connectionString, prefix + "benchmark-raw", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        var table = new TableClient(connectionString, prefix + "members");
        var count = 0;
        return await LoadRunner.RequestsPerSecondAsync(
            async () =>
            {
                var n = Interlocked.Increment(ref count);
                await queue.SendMessageAsync("{\"eventId\":\"x\"}");
                var received = await queue.ReceiveMessageAsync();
                if (received.Value is { } message)
                {
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }

                var rawMemberId = $"raw-{n % 500}";
                var row = await table.GetEntityIfExistsAsync<TableEntity>(rawMemberId, "member");
                var entity = row.HasValue ? row.Value! : new TableEntity(rawMemberId, "member");
                entity["Points"] = (long)n;
                TableTransactionAction update = row.HasValue
                    ? new(TableTransactionActionType.UpdateReplace, entity, entity.ETag)
                    : new(TableTransactionActionType.UpsertReplace, entity);
                try
                {
                    await table.SubmitTransactionAsync([new(TableTransactionActionType.Add, new TableEntity(rawMemberId, $"event|{n}")), update]);
                }
                catch (TableTransactionFailedException)
                {
                    // A concurrent caller updated the same row: that costs a retry in the app too.
                }

                await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == memberId && e.RowKey.CompareTo("reg|") >= 0 && e.RowKey.CompareTo("reg}") < 0))
                {
                }
            },
            Concurrency,
            TimeSpan.FromSeconds(6));
    }
}
