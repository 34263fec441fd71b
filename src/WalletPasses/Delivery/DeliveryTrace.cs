using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Storage;

namespace WalletPasses.Delivery;

/// <summary>
/// Records the delivery trace off the request path: rows are buffered in memory, identical ones folded (a device
/// refetching one version a hundred times is one row with a count, at the latest time), and written once per
/// <see cref="DeliveryOptions.TraceFlushDelay"/> in entity group transactions per member (up to 100 rows each), or
/// sooner with the member's announcement when a delivery saves it (<see cref="TakeFor"/>: no write of their own).
/// A graceful stop writes what is buffered (<see cref="DeliveryTraceShutdownFlush"/>); a crash loses up to one flush
/// delay of rows, since nothing may rely on a (Functions) process living on. What a lost row costs:
/// <list type="bullet">
/// <item>a device's <c>list</c> or <c>fetch</c> row: the device looks <c>pushed-not-fetched</c>, so the re-push
/// check pushes it once more (once per version: the re-push is recorded in the announcement row, not here); the
/// device asks again and gets a 304 or the pass;</item>
/// <item>a member's re-push <c>check</c> row: that version's devices are left out of the re-push check and of the
/// health share (a push APNs accepted but never delivered waits for the member's next version);</item>
/// <item>a <c>push</c> row: a timeline line only; each device's push state is in the announcement row.</item>
/// </list>
/// Nothing that delivers or clears an announcement waits for this buffer: the announcement is saved synchronously,
/// and the rows it takes along never decide whether it is saved (<see cref="Announcements.SaveAsync"/>).
/// </summary>
public sealed partial class DeliveryTrace(StorageClients storage, IOptions<DeliveryOptions> options, TimeProvider time, ILogger<DeliveryTrace> logger)
{
    private const int MaxBuffered = 50_000;
    private const int MaxBatch = 100;

    private readonly Lock _gate = new();
    private Task _writes = Task.CompletedTask; // the flushes' writes, one after another
    private Dictionary<(string Partition, string Fold), DeliveryTraceEntity> _buffer = [];
    private Dictionary<(string Partition, string Fold), DeliveryTraceEntity> _checks = [];
    private bool _flushScheduled;

    private TableClient Checks => storage.Table(StorageNames.DeliveryTraceTable);

    /// <summary>A trace row for <paramref name="memberId"/>; rows with the same <paramref name="foldKey"/> within one flush become one.</summary>
    public void Record(string memberId, string kind, string foldKey, string? device = null, long? version = null, int? status = null, string? detail = null, string? apnsId = null) =>
        Add(checks: false, memberId, kind + "|" + foldKey, Row(memberId, kind, foldKey, device, version, status, detail, apnsId));

    /// <summary>A trace row stamped now, not buffered: for a caller that writes it in a transaction of its own.</summary>
    public DeliveryTraceEntity Row(string memberId, string kind, string foldKey, string? device = null, long? version = null, int? status = null, string? detail = null, string? apnsId = null)
    {
        var at = time.GetUtcNow();
        return new DeliveryTraceEntity
        {
            PartitionKey = memberId,
            RowKey = DeliveryTraceEntity.RowKeyFor(at, kind, foldKey),
            At = at,
            Kind = kind,
            Device = device,
            Version = version,
            Status = status,
            Detail = detail,
            ApnsId = apnsId,
        };
    }

    /// <summary>Notes that the member's devices were pushed now, for the re-push check once the window is over.</summary>
    public void PushedForCheck(string memberId)
    {
        var at = time.GetUtcNow();
        var partition = DeliveryTraceEntity.CheckPartitionFor(at);
        Add(checks: true, partition, memberId, new DeliveryTraceEntity { PartitionKey = partition, RowKey = memberId, At = at, Kind = "check" });
    }

    /// <summary>Takes the member's buffered rows out of the buffer (at most <paramref name="max"/>), to be written with another write to the partition.</summary>
    public IReadOnlyList<DeliveryTraceEntity> TakeFor(string memberId, int max)
    {
        lock (_gate)
        {
            var keys = _buffer.Keys.Where(k => k.Partition == memberId).Take(max).ToList();
            var rows = keys.Select(k => _buffer[k]).ToList();
            keys.ForEach(k => _buffer.Remove(k));
            return rows;
        }
    }

    /// <summary>
    /// Returns rows taken by <see cref="TakeFor"/> whose write did not happen (a newer version replaced the announcement
    /// they were to ride with, or storage failed): the next flush writes them.
    /// </summary>
    public void PutBack(IReadOnlyList<DeliveryTraceEntity> rows)
    {
        foreach (var row in rows)
        {
            Add(checks: false, row.PartitionKey, "taken|" + row.RowKey, row);
        }
    }

    /// <summary>
    /// Writes everything buffered now (tests, and shutdown). Flushes write one after another: a caller waits for a
    /// timed flush already writing, so every row recorded before the call is in storage (or logged as dropped) when it returns.
    /// </summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var (rows, checks) = (_buffer, _checks);
            (_buffer, _checks) = ([], []);
            return _writes = WriteAfterAsync(_writes, rows.Values, checks.Values, cancellationToken);
        }
    }

    private async Task WriteAfterAsync(Task previous, IEnumerable<DeliveryTraceEntity> rows, IEnumerable<DeliveryTraceEntity> checks, CancellationToken cancellationToken)
    {
        // Its own caller saw how the previous write ended; yielding lets FlushAsync leave its lock before any storage call.
        // A shutdown does not wait past its own token for a timed flush stuck in storage retries.
        await previous.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
        await WriteAsync(storage.Members, rows, cancellationToken);
        await WriteAsync(Checks, checks, cancellationToken);
    }

    private async Task WriteAsync(TableClient table, IEnumerable<DeliveryTraceEntity> rows, CancellationToken cancellationToken)
    {
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var batch in partition.Chunk(MaxBatch))
            {
                try
                {
                    await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken);
                }
                catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException || StorageOutage.Is(e))
                {
                    LogFlushFailed(logger, e, batch.Length);
                }
            }
        }
    }

    // The buffer is chosen under the lock: a flush swaps it for a new one, and a row put in the one it took is lost.
    private void Add(bool checks, string partition, string fold, DeliveryTraceEntity row)
    {
        lock (_gate)
        {
            var buffer = checks ? _checks : _buffer;
            if (buffer.TryGetValue((partition, fold), out var existing))
            {
                // The folded row says when it last happened: a device whose list call came after the first of several
                // fetches of the version (Apple's fetch does not name the device) still sees a fetch after it.
                existing.Count++;
                (existing.At, existing.RowKey) = (row.At, row.RowKey);
            }
            else if (buffer.Count < MaxBuffered)
            {
                buffer[(partition, fold)] = row;
            }

            if (!_flushScheduled)
            {
                _flushScheduled = true;
                _ = Task.Run(FlushWhileBufferedAsync);
            }
        }
    }

    // One short-lived task per burst, not a resident loop: it ends once nothing is left buffered.
    private async Task FlushWhileBufferedAsync()
    {
        while (true)
        {
            await Task.Delay(options.Value.TraceFlushDelay, CancellationToken.None).ConfigureAwait(false); // wall clock: batching pace, not business time
            try
            {
                await FlushAsync(CancellationToken.None);
            }
            catch (Exception e)
            {
                // Whatever failed, this task must go on (or end below): while it is scheduled, no other flush starts.
                LogFlushTaskFailed(logger, e);
            }

            lock (_gate)
            {
                if (_buffer.Count == 0 && _checks.Count == 0)
                {
                    _flushScheduled = false;
                    return;
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not write {Rows} delivery trace rows; they are dropped (the trace is diagnostic)")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int rows);

    [LoggerMessage(LogLevel.Warning, "Flushing the delivery trace failed; the rows taken for it are dropped (the trace is diagnostic)")]
    private static partial void LogFlushTaskFailed(ILogger logger, Exception exception);
}
