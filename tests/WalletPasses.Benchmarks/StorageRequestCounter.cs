using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace WalletPasses.Benchmarks;

/// <summary>
/// Counts this process's HTTP requests to Azurite by kind (table query, point read, write, entity group transaction;
/// blob; queue) and the others (the APNs emulator), from HttpClient's own activities: what a piece of work costs in
/// storage round trips, which the machine's load does not change.
/// </summary>
public sealed partial class StorageRequestCounter : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ActivityListener _listener;
    private readonly int _blobPort;
    private readonly int _queuePort;
    private readonly int _tablePort;

    public StorageRequestCounter(string azuriteConnectionString)
    {
        (_blobPort, _queuePort, _tablePort) = (PortOf(azuriteConnectionString, "BlobEndpoint"), PortOf(azuriteConnectionString, "QueueEndpoint"), PortOf(azuriteConnectionString, "TableEndpoint"));
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => _counts.AddOrUpdate(KindOf(activity), 1, (_, count) => count + 1),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The counts so far, by kind.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts, StringComparer.Ordinal);

    /// <summary>Requests per unit of work between two snapshots, by kind, as one line.</summary>
    public static string PerUnit(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after, long units)
    {
        var kinds = after.Keys.Order(StringComparer.Ordinal)
            .Select(kind => (kind, count: after[kind] - before.GetValueOrDefault(kind)))
            .Where(k => k.count > 0)
            .ToArray();
        var storage = kinds.Where(k => !k.kind.StartsWith("other", StringComparison.Ordinal)).Sum(k => k.count);
        return $"{(double)storage / units:N2} storage requests" + string.Concat(kinds.Select(k => $"; {k.kind} {(double)k.count / units:N2}"));
    }

    public void Dispose() => _listener.Dispose();

    private string KindOf(System.Diagnostics.Activity activity)
    {
        var port = activity.GetTagItem("server.port") is int p ? p : -1;
        var method = activity.GetTagItem("http.request.method") as string ?? "?";
        var path = activity.GetTagItem("url.full") is string url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : "";
        if (port == _tablePort)
        {
            return method switch
            {
                "POST" when path.EndsWith("$batch", StringComparison.Ordinal) => "table transaction",
                "GET" when path.Contains("RowKey=", StringComparison.Ordinal) => "table point read",
                "GET" => "table query",
                _ => "table write",
            };
        }

        return port == _blobPort ? "blob" : port == _queuePort ? "queue" : "other (APNs)";
    }

    private static int PortOf(string connectionString, string endpoint) =>
        int.Parse(EndpointPort().Matches(connectionString).First(m => m.Groups[1].Value == endpoint).Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(\w+Endpoint)=http://[^:/]+:(\d+)")]
    private static partial Regex EndpointPort();
}
