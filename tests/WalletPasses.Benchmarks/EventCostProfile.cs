using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Benchmarks;

/// <summary>
/// What one loyalty event costs, end to end (HTTP accept to APNs push, and whatever the app writes afterwards for it,
/// such as trace flushes): storage requests per event counted through pass-through proxies in front of Azurite's
/// table and queue endpoints (<see cref="TableRequestCounter"/>), each named by verb, table and row kind; and,
/// on an app without the proxies, CPU time of this process and of Azurite and bytes allocated here per event. Quantities
/// that a shared machine's load hardly moves, unlike the event rate.
/// </summary>
public static partial class EventCostProfile
{
    private const int Members = 100;
    private const int WarmUpEvents = 500;
    private const int MeasuredEvents = 1_000;
    private const int ProbedRequests = 300;

    public static async Task RunAsync(string[] args)
    {
        var (direct, _, probe) = await MeasureAsync(proxied: false);
        var (_, requests, _) = await MeasureAsync(proxied: true);
        Console.WriteLine($"== One event's cost ({Members} members with a registered device, {MeasuredEvents:N0} events after {WarmUpEvents:N0} of warm-up) ==");
        Console.WriteLine($"per event: CPU {direct.CpuMicroseconds,6:N0} µs here (app, benchmark client, APNs emulator) + {direct.AzuriteCpuMicroseconds,6:N0} µs Azurite, {direct.AllocatedBytes / 1024,6:N1} KB allocated here");
        Console.WriteLine($"storage requests per event: {requests.Sum(r => r.Requests) / (double)MeasuredEvents:N2} ({requests.Sum(r => r.Operations) / (double)MeasuredEvents:N2} entity operations; idle background over the same time subtracted)");
        foreach (var (what, count, operations) in requests.OrderByDescending(r => r.Requests))
        {
            Console.WriteLine($"  {count / (double)MeasuredEvents,6:N3} requests, {operations / (double)MeasuredEvents,6:N3} operations   {what}");
        }

        // What each of those requests costs Azurite: the same requests done directly with the SDK, one kind at a time, in
        // the app's table as the measured events left it (see RawEventStorage for why the table's size matters).
        Console.WriteLine($"Azurite CPU per request, each kind {ProbedRequests} times alone, on copies of the members' rows in the app's table ({probe.Rows:N0} rows):");
        foreach (var (step, microseconds) in probe.Steps)
        {
            Console.WriteLine($"  {microseconds,8:N0} µs   {step}");
        }

        Console.WriteLine($"  {probe.Steps.Sum(s => s.AzuriteMicroseconds),8:N0} µs   all of one event (the app's event, measured above: {direct.AzuriteCpuMicroseconds:N0} µs, with 1/32 of a receive)");
    }

    private static async Task<(EventCost Cost, IReadOnlyList<(string What, double Requests, double Operations)> Requests, RequestProbe Probe)> MeasureAsync(bool proxied)
    {
        var ports = AzuriteServer.FreePorts();
        await using var azurite = await AzuriteServer.StartAsync(ports);
        TableRequestCounter[] proxies = proxied
            ? await Task.WhenAll(ports.Skip(1).Select(p => TableRequestCounter.StartAsync(new Uri($"http://127.0.0.1:{p}/"))))
            : [];
        try
        {
            // Blobs go direct (the proxy does not carry a blob upload's signed headers whole); the template is read from memory.
            var connection = AzuriteServer.ConnectionStringFor(proxied ? [ports[0], .. proxies.Select(p => p.Port)] : ports);
            await using var factory = new WalletPassesFactory(connection, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
            factory.UseKestrel(0);
            factory.StartServer();
            using var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WalletPassesFactory.BackendKey);

            var devices = await EventPipelineBenchmark.InstallDevicesAsync(client, factory, Members);

            var tokens = devices.Select(d => d.PushToken).ToHashSet();
            long sequence = 0;
            int PushesSoFar() => SharedApns.Emulator.Pushes.Count(p => tokens.Contains(p.PushToken));
            async Task SendEventsAsync(int count)
            {
                var before = PushesSoFar();
                for (var start = 0; start < count; start += 100)
                {
                    var batch = Enumerable.Range(start, Math.Min(100, count - start)).Select(i => TestMembers.PointsEvent(devices[i % Members].Pass.MemberId, Interlocked.Increment(ref sequence), 1000 + i));
                    (await client.PostAsync("/api/loyalty-events", TestMembers.Json("[" + string.Join(",", batch) + "]"))).EnsureSuccessStatusCode();
                }

                while (PushesSoFar() - before < count)
                {
                    await Task.Delay(10);
                }
            }

            await SendEventsAsync(WarmUpEvents);
            await Task.Delay(TimeSpan.FromSeconds(3)); // trailing trace flushes of the warm-up

            var seen = proxies.Select(p => p.Requests.Count).ToArray();
            var idle = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(3));
            var idleRequests = Since(proxies, seen, factory.StoragePrefix);
            var idleSeconds = idle.Elapsed.TotalSeconds;

            seen = proxies.Select(p => p.Requests.Count).ToArray();
            using var azuriteProcess = AzuriteProcess(ports[2]);
            var (cpu, other, allocated) = (Environment.CpuUsage.TotalTime, azuriteProcess.TotalProcessorTime, GC.GetTotalAllocatedBytes());
            var window = Stopwatch.StartNew();
            await SendEventsAsync(MeasuredEvents);
            await Task.Delay(TimeSpan.FromSeconds(3)); // the events' own trailing writes (trace flushes) count too
            azuriteProcess.Refresh();
            var cost = new EventCost(
                (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / MeasuredEvents,
                (azuriteProcess.TotalProcessorTime - other).TotalMicroseconds / MeasuredEvents,
                (GC.GetTotalAllocatedBytes() - allocated) / (double)MeasuredEvents);
            var busy = Since(proxies, seen, factory.StoragePrefix);
            var scale = window.Elapsed.TotalSeconds / idleSeconds;
            var rows = busy.Concat(idleRequests.Select(r => r with { Requests = -r.Requests * scale, Operations = -r.Operations * scale }))
                .GroupBy(r => r.What)
                .Select(g => (g.Key, g.Sum(r => r.Requests), g.Sum(r => r.Operations)))
                .ToList();
            var probe = new RequestProbe(0, []);
            if (!proxied)
            {
                var raw = await RawEventStorage.CopyAsync(connection, factory.StoragePrefix, [.. devices.Select(d => d.Pass.MemberId)], "probe", TestMembers.PointsEvent(devices[0].Pass.MemberId, 1, 1));
                var rowsNow = await raw.CountRowsAsync();
                probe = new RequestProbe(rowsNow, await raw.ProbeAsync(ProbedRequests, () =>
                {
                    azuriteProcess.Refresh();
                    return azuriteProcess.TotalProcessorTime;
                }));
            }

            return (cost, rows, probe);
        }
        finally
        {
            foreach (var proxy in proxies)
            {
                await proxy.DisposeAsync();
            }
        }
    }

    private static List<(string What, double Requests, double Operations)> Since(TableRequestCounter[] proxies, int[] seen, string prefix) =>
        proxies.SelectMany((p, i) => p.Requests.Skip(seen[i]))
            .GroupBy(r => Describe(r, prefix))
            .Select(g => (g.Key, (double)g.Count(), (double)g.Sum(r => r.Operations.Count)))
            .ToList();

    /// <summary>"VERB table row-kind" (or queue/blob path), with the ids taken out, e.g. "POST $batch: PUT members(member) + POST members(event)".</summary>
    private static string Describe(TableRequest request, string prefix) =>
        request.Line.EndsWith("/$batch", StringComparison.Ordinal)
            ? "$batch: " + string.Join(" + ", request.Operations.Select(o => Name(o, prefix)).CountBy(o => o).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Value == 1 ? o.Key : $"{o.Value}x {o.Key}"))
                + (request.Status >= 400 ? $" -> {request.Status}" : "")
            : Name(request.Line, prefix) + (request.Status >= 400 ? $" -> {request.Status}" : "");

    private static string Name(string operation, string prefix)
    {
        var verb = operation[..operation.IndexOf(' ', StringComparison.Ordinal)];
        var path = operation[(verb.Length + 1)..];
        path = path.Replace("/devstoreaccount1/", "", StringComparison.Ordinal).TrimStart('/');
        path = path.Replace(prefix, "", StringComparison.Ordinal);
        var keys = KeyPair().Match(path);
        if (keys.Success)
        {
            var row = keys.Groups[2].Value;
            var kind = row.Contains('|', StringComparison.Ordinal) ? row[..row.IndexOf('|', StringComparison.Ordinal)] : row.Length > 20 ? "*" : row;
            path = path[..keys.Index] + "(" + kind + ")";
        }

        path = Guidish().Replace(path, "*");
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return verb + " " + (query >= 0 ? path[..query] + "?query" : path);
    }

    private static Process AzuriteProcess(int tablePort) =>
        Process.GetProcesses().First(p =>
        {
            try
            {
                return File.ReadAllText($"/proc/{p.Id}/cmdline").Replace('\0', ' ').Contains($"--tablePort {tablePort}", StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        });

    private sealed record EventCost(double CpuMicroseconds, double AzuriteCpuMicroseconds, double AllocatedBytes);

    private sealed record RequestProbe(int Rows, IReadOnlyList<(string Step, double AzuriteMicroseconds)> Steps);

    [GeneratedRegex(@"\(PartitionKey='([^']*)',\s*RowKey='([^']*)'\)")]
    private static partial Regex KeyPair();

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{8,}|m-[0-9a-f]{12}|evt-[0-9a-f]+")]
    private static partial Regex Guidish();
}
