using System.Collections;
using System.Diagnostics;

namespace WalletPasses.Tests.Telemetry;

using Activity = System.Diagnostics.Activity;

/// <summary>
/// Where the in-memory exporter puts finished spans, readable while the app adds more. The tracer provider listens
/// to the product's (process-wide) activity source, so spans of other tests' apps arrive too: read by trace id.
/// </summary>
public sealed class ExportedSpanCollection : ICollection<Activity>
{
    private readonly Lock _gate = new();
    private readonly List<Activity> _spans = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public IReadOnlyList<Activity> OfTrace(ActivityTraceId traceId)
    {
        lock (_gate)
        {
            return _spans.Where(s => s.TraceId == traceId).ToArray();
        }
    }

    public void Add(Activity item)
    {
        lock (_gate)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_gate)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_gate)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_gate)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (_gate)
        {
            return _spans.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
