using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace WalletPasses.Benchmarks;

/// <summary>
/// What a piece of work allocates, by type: the runtime's allocation-tick events (one about every 100 KB allocated,
/// naming the type whose allocation crossed the mark), listened to in this process. Costly while on, so used only
/// in untimed phases; a sample stands for about 100 KB, so types are shares of the bytes, not exact sizes.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int AllocationTickEventId = 10;

    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start()
    {
        _bytesByType.Clear();
        _recording = true;
    }

    public void Stop() => _recording = false;

    /// <summary>The types with the largest shares of the sampled bytes, each with its share of <paramref name="bytesPerCall"/>.</summary>
    public string Top(int count, double bytesPerCall)
    {
        var total = (double)_bytesByType.Values.Sum();
        return total == 0 ? "(no samples)" : string.Join(Environment.NewLine, _bytesByType.OrderByDescending(t => t.Value).Take(count)
            .Select(t => $"     {t.Value / total * bytesPerCall / 1024,6:N2} KB  {t.Value / total,5:P0}  {t.Key}"));
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventId != AllocationTickEventId || eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
        {
            return;
        }

        var (type, amount) = ("?", 0L);
        for (var i = 0; i < names.Count; i++)
        {
            switch (names[i])
            {
                case "TypeName":
                    type = payload[i] as string ?? "?";
                    break;
                case "AllocationAmount64":
                    amount = Convert.ToInt64(payload[i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }
        }

        _bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
