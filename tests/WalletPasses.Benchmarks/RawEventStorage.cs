using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace WalletPasses.Benchmarks;

/// <summary>
/// The storage operations of one loyalty event done directly with the SDK, no app in between: the event pipeline's
/// reference, and the per-request cost probe of the event profile. They run in the app's own <c>members</c> table (so
/// Azurite scans as many rows as it does for the app at that moment) on copies of the benchmark members' rows: each
/// reference partition holds a copy of a benchmark member's member, announcement and registration rows, and its
/// events add rows shaped like the app's (an applied-event row per event; with the outbox, two trace rows per save).
/// <para>
/// Why the table and the copies matter (Azurite 3.37, node_modules/azurite/dist/src/table/persistence/LokiTableMetadataStore.js
/// over LokiJS 1.5.12, node_modules/lokijs/src/lokijs.js): each table is one LokiJS collection with binary indices on
/// PartitionKey and RowKey (<c>createCollectionForTable</c>). A point read, and the existence check of every insert,
/// update, merge and upsert, is <c>findOne({RowKey, PartitionKey})</c>: LokiJS turns it into <c>$and</c>, uses the
/// RowKey index only for the first term and then scans every row with that RowKey for the PartitionKey
/// (<c>Resultset.find</c>/<c>findAnd</c>): cost grows with the rows sharing the RowKey (<c>member</c>, <c>announcement</c>:
/// one per member). An update by replace (PUT, also inside a transaction, and an upsert of an existing row) is
/// <c>remove</c> + <c>insert</c> (<c>updateTableEntity</c>), and LokiJS's <c>remove</c> walks both whole indices to shift
/// positions (<c>adaptiveBinaryIndexRemove</c>) and splices the data array: cost grows with the table. A query
/// (<c>queryTableEntities</c>) is <c>chain().where(filter)</c>, never an index: the OData filter is interpreted on every
/// row of the table, then the matches sorted. So a reference in a smaller or emptier table than the app's is cheaper
/// for reasons that are Azurite's, not the app's.
/// </para>
/// </summary>
public sealed class RawEventStorage
{
    private const string AnnouncementRow = "announcement";
    private const string MemberRow = "member";

    private readonly QueueClient _queue;
    private readonly TableClient _table;
    private readonly string _message;
    private readonly string _partitionPrefix;
    private readonly int _partitions;
    private readonly TableEntity _eventRow;
    private readonly TableEntity _announcementRow;
    private readonly TableEntity[] _traceRows;
    private int _count;

    private RawEventStorage(QueueClient queue, TableClient table, string message, string partitionPrefix, int partitions, TableEntity eventRow, TableEntity announcementRow, TableEntity[] traceRows)
    {
        (_queue, _table, _message, _partitionPrefix, _partitions) = (queue, table, message, partitionPrefix, partitions);
        (_eventRow, _announcementRow, _traceRows) = (eventRow, announcementRow, traceRows);
    }

    /// <summary>The names of the steps of <see cref="EventAsync"/> with the outbox, in order, as <see cref="ProbeAsync"/> reports them.</summary>
    public static IReadOnlyList<string> Steps { get; } =
    [
        "queue put", "queue receive (1 message)", "queue delete", "member point read",
        "event transaction (event + member + announcement)", "registrations query", "announcement save (announcement + 2 trace rows)",
    ];

    /// <summary>
    /// Copies the rows of <paramref name="memberIds"/> (after the app has processed events for them, so their partitions
    /// hold every kind of row an event writes) into partitions <c>{partitionPrefix}-{i}</c> of the same table.
    /// </summary>
    public static async Task<RawEventStorage> CopyAsync(string connectionString, string prefix, IReadOnlyList<string> memberIds, string partitionPrefix, string message)
    {
        var queue = new QueueClient(connectionString, prefix + "benchmark-" + partitionPrefix, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        var table = new TableClient(connectionString, prefix + "members");
        TableEntity? eventRow = null, announcementRow = null;
        var traceRows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        for (var i = 0; i < memberIds.Count; i++)
        {
            await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {memberIds[i]}")))
            {
                var kind = row.RowKey.Split('|')[0];
                if (kind is MemberRow or AnnouncementRow or "reg")
                {
                    await table.UpsertEntityAsync(Copy(row, $"{partitionPrefix}-{i}", row.RowKey), TableUpdateMode.Replace);
                }

                eventRow ??= kind == "event" ? row : null;
                announcementRow ??= kind == AnnouncementRow ? row : null;
                if (kind == "trace" && row.GetString("Kind") is { } traceKind)
                {
                    traceRows.TryAdd(traceKind, row);
                }
            }
        }

        return new RawEventStorage(
            queue, table, message, partitionPrefix, memberIds.Count,
            eventRow ?? throw new InvalidOperationException("No applied-event row to copy: run events first"),
            announcementRow ?? throw new InvalidOperationException("No announcement row to copy: run events first"),
            [.. traceRows.Values.Take(2)]);
    }

    /// <summary>
    /// One event's storage operations as the app does them now (<paramref name="withOutbox"/>): queue put, receive and
    /// delete, the member's point read (whose row carries the registrations, <c>DevicesJson</c>), the event's transaction
    /// (applied-event row, member row replaced under its ETag, the announcement upserted) and the announcement's save
    /// after the push (replaced under its ETag, with the push and notification trace rows). Without the outbox, as the app
    /// did before both: the transaction without the announcement, the registrations queried, no announcement save.
    /// </summary>
    public async Task EventAsync(bool withOutbox)
    {
        var n = Interlocked.Increment(ref _count);
        var partition = n % _partitions;
        await PutAsync();
        if (await ReceiveAsync() is { } message)
        {
            await DeleteAsync(message);
        }

        var member = await ReadMemberAsync(partition);
        var announcement = await CommitEventAsync(partition, member, withOutbox);
        if (!withOutbox)
        {
            await QueryRegistrationsAsync(partition);
        }

        if (withOutbox && announcement is { } etag)
        {
            await SaveAnnouncementAsync(partition, etag);
        }
    }

    /// <summary>
    /// Azurite CPU per request of each step of <see cref="EventAsync"/> with the outbox (<see cref="Steps"/>), each run
    /// <paramref name="count"/> times in a row, one at a time, so its cost is not mixed with another's.
    /// </summary>
    public async Task<IReadOnlyList<(string Step, double AzuriteMicroseconds)>> ProbeAsync(int count, Func<TimeSpan> azuriteCpu)
    {
        var results = new List<(string, double)>();
        async Task MeasureAsync(string step, Func<int, Task> operation)
        {
            var before = azuriteCpu();
            for (var i = 0; i < count; i++)
            {
                await operation(i);
            }

            results.Add((step, (azuriteCpu() - before).TotalMicroseconds / count));
        }

        var messages = new QueueMessage?[count];
        var members = new TableEntity[_partitions];
        var announcements = new ETag?[_partitions];
        await MeasureAsync(Steps[0], _ => PutAsync());
        await MeasureAsync(Steps[1], async i => messages[i] = await ReceiveAsync());
        await MeasureAsync(Steps[2], i => messages[i] is { } message ? DeleteAsync(message) : Task.CompletedTask);
        await MeasureAsync(Steps[3], async i => members[i % _partitions] = await ReadMemberAsync(i % _partitions));
        await MeasureAsync(Steps[4], async i =>
        {
            // One at a time: each partition's next transaction carries the member ETag its previous one returned.
            var partition = i % _partitions;
            announcements[partition] = await CommitEventAsync(partition, members[partition], withAnnouncement: true);
        });
        await MeasureAsync(Steps[5], i => QueryRegistrationsAsync(i % _partitions));
        await MeasureAsync(Steps[6], async i =>
        {
            var partition = i % _partitions;
            announcements[partition] = await SaveAnnouncementAsync(partition, announcements[partition] ?? ETag.All);
        });
        return results;
    }

    /// <summary>The rows of the table now (one query, a whole scan in Azurite).</summary>
    public async Task<int> CountRowsAsync()
    {
        var rows = 0;
        await foreach (var page in _table.QueryAsync<TableEntity>(select: ["PartitionKey"]).AsPages())
        {
            rows += page.Values.Count;
        }

        return rows;
    }

    private async Task PutAsync() => await _queue.SendMessageAsync(_message);

    private async Task<QueueMessage?> ReceiveAsync() => (await _queue.ReceiveMessageAsync()).Value;

    private async Task DeleteAsync(QueueMessage message) => await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);

    private async Task<TableEntity> ReadMemberAsync(int partition) => (await _table.GetEntityAsync<TableEntity>(Partition(partition), MemberRow)).Value;

    /// <summary>The event's transaction; the announcement's new ETag (or any ETag without it), null when a concurrent caller got there first.</summary>
    private async Task<ETag?> CommitEventAsync(int partition, TableEntity member, bool withAnnouncement)
    {
        member["Points"] = (long)Interlocked.Increment(ref _count);
        List<TableTransactionAction> actions =
        [
            new(TableTransactionActionType.Add, Copy(_eventRow, Partition(partition), "event|" + Guid.NewGuid().ToString("N"))),
            new(TableTransactionActionType.UpdateReplace, member, member.ETag),
        ];
        if (withAnnouncement)
        {
            actions.Add(new(TableTransactionActionType.UpsertReplace, Copy(_announcementRow, Partition(partition), AnnouncementRow)));
        }

        try
        {
            var responses = (await _table.SubmitTransactionAsync(actions)).Value;
            member.ETag = responses[1].Headers.ETag ?? member.ETag;
            return responses[^1].Headers.ETag ?? ETag.All;
        }
        catch (TableTransactionFailedException)
        {
            return null; // a concurrent caller updated the same row: that costs a retry in the app too
        }
    }

    private async Task QueryRegistrationsAsync(int partition)
    {
        await foreach (var _ in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition(partition)} and RowKey ge {"reg|"} and RowKey lt {"reg}"}")))
        {
        }
    }

    private async Task<ETag?> SaveAnnouncementAsync(int partition, ETag announcement)
    {
        var ticks = DateTimeOffset.MaxValue.Ticks - DateTimeOffset.UtcNow.Ticks;
        var actions = _traceRows
            .Select((row, i) => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Copy(row, Partition(partition), $"trace|{ticks:D19}|{i}|{Guid.NewGuid():N}")))
            .Prepend(new TableTransactionAction(TableTransactionActionType.UpdateReplace, Copy(_announcementRow, Partition(partition), AnnouncementRow), announcement));
        try
        {
            return (await _table.SubmitTransactionAsync(actions)).Value[0].Headers.ETag;
        }
        catch (TableTransactionFailedException)
        {
            return null; // replaced meanwhile by a concurrent caller's event, as a newer version replaces it in the app
        }
    }

    private string Partition(int partition) => $"{_partitionPrefix}-{partition}";

    private static TableEntity Copy(TableEntity row, string partitionKey, string rowKey)
    {
        var copy = new TableEntity(row) { PartitionKey = partitionKey, RowKey = rowKey };
        copy.Remove("Timestamp"); // set by storage, not written
        copy.Remove("odata.etag");
        return copy;
    }
}
