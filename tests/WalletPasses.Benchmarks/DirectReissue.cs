using System.Diagnostics;
using Azure.Data.Tables;
using WalletPasses.Apple;
using WalletPasses.Apple.Apns;
using WalletPasses.Delivery;
using WalletPasses.Members;
using WalletPasses.Storage;

namespace WalletPasses.Benchmarks;

/// <summary>
/// The reference of <see cref="BulkReissueBenchmark"/>: the raw storage operations of re-issuing members, done directly
/// with the SDK over a table seeded with the same rows as the app's <c>members</c> table, so that at each moment it has
/// the same size and key layout (it grows the same way: each member visited gains its announcement and a push trace
/// row). Per chunk of <see cref="ChunkSize"/> members, as the app walks them: one query for the chunk's member rows
/// (after the cursor), then per member (<see cref="Concurrency"/> at a time) the member row's new version and the
/// announcement in one transaction under the row's ETag, one query for the chunk's device registrations, then per
/// member the announcement's delivery record (a pushed device) with its push trace row in one transaction. The rows
/// are the app's own entity types, so their shape is the app's. No APNs push, no checkpoint, no app logic: what is
/// left is what the storage costs. The registrations are read once per chunk, as the app reads them: one query per
/// member would scan the whole table each time (below), a reference slowed down for nothing.
/// <para>
/// Why the table must be the same size and layout (Azurite 3.37, <c>dist/src/table/persistence/LokiTableMetadataStore.js</c>
/// over LokiJS 1.5.12, <c>lokijs/src/lokijs.js</c>; a table is one Loki collection with binary indices on PartitionKey and
/// RowKey): a point read, upsert or replace first runs <c>findOne({ RowKey, PartitionKey })</c>, which Loki's
/// <c>Resultset.find</c> turns into <c>$and</c> (<c>findAnd</c>) and serves from the RowKey index: it collects every row
/// with that RowKey (10,000 <c>member</c> rows, and as many <c>announcement</c> rows as members re-issued) and then scans
/// them for the PartitionKey. A replace (<c>updateTableEntity</c>) is <c>remove</c> then <c>insert</c>; Loki's
/// <c>remove</c> (<c>adaptiveBinaryIndexRemove</c>, once per index) loops over every entry of the index to shift the
/// positions after the removed row, a pass over all rows of the table for each of the two indices, and splices the
/// data array. A query (<c>queryTableEntities</c>) is
/// <c>chain().where(predicate)</c>: a scan of every row, whatever the filter, then a sort of the matches. So each
/// operation costs in proportion to the table's rows, and a reference in a small table of its own pays a fraction of
/// what the app pays in <c>members</c>.
/// </para>
/// </summary>
public sealed class DirectReissue(TableClient table, int chunkSize, int concurrency, long templateVersion)
{
    public int ChunkSize => chunkSize;

    public int Concurrency => concurrency;

    /// <summary>The last member visited: the next run goes on after it.</summary>
    public string? Cursor { get; private set; }

    /// <summary>Re-issues the next <paramref name="members"/> members (fewer when the table ends); the number done.</summary>
    public async Task<int> RunAsync(int members)
    {
        var done = 0;
        while (done < members)
        {
            var chunk = await NextChunkAsync(Math.Min(chunkSize, members - done));
            if (chunk.Count == 0)
            {
                break;
            }

            await ReissueAsync(chunk);
            Cursor = chunk[^1].PartitionKey;
            done += chunk.Count;
        }

        return done;
    }

    private async Task<List<MemberEntity>> NextChunkAsync(int size)
    {
        var filter = Cursor is null
            ? TableClient.CreateQueryFilter($"RowKey eq {MemberEntity.RowKeyValue}")
            : TableClient.CreateQueryFilter($"PartitionKey gt {Cursor} and RowKey eq {MemberEntity.RowKeyValue}");
        var chunk = new List<MemberEntity>(size);
        await foreach (var member in table.QueryAsync<MemberEntity>(filter, maxPerPage: chunkSize))
        {
            chunk.Add(member);
            if (chunk.Count == size)
            {
                break;
            }
        }

        return chunk;
    }

    private async Task ReissueAsync(List<MemberEntity> chunk)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency };
        var announcements = new PassAnnouncementEntity[chunk.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, chunk.Count), parallel, async (i, token) =>
        {
            var member = chunk[i];
            var now = DateTimeOffset.UtcNow;
            member.NewPassVersion(now, silent: true); // as the app's re-issue of a change without alerting fields
            member.TemplateVersion = templateVersion;
            var announcement = new PassAnnouncementEntity
            {
                PartitionKey = member.PartitionKey,
                SerialNumber = member.SerialNumber,
                Version = member.PassVersion,
                AnnouncedAt = now,
                Pending = ApplePushNotifier.PlatformName,
            };
            var committed = await table.SubmitTransactionAsync(
                [new(TableTransactionActionType.UpdateReplace, member, member.ETag), new(TableTransactionActionType.UpsertReplace, announcement)], token);
            announcement.ETag = committed.Value[1].Headers.ETag ?? Azure.ETag.All;
            announcements[i] = announcement;
        });

        var registrations = new Dictionary<string, List<DeviceRegistrationEntity>>(StringComparer.Ordinal);
        var end = TableRows.RangeEnd(DeviceRegistrations.RowKeyPrefix);
        await foreach (var row in table.QueryAsync<DeviceRegistrationEntity>(TableClient.CreateQueryFilter(
            $"PartitionKey ge {chunk[0].PartitionKey} and PartitionKey le {chunk[^1].PartitionKey} and RowKey ge {DeviceRegistrations.RowKeyPrefix} and RowKey lt {end}")))
        {
            (registrations.TryGetValue(row.PartitionKey, out var list) ? list : registrations[row.PartitionKey] = []).Add(row);
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, chunk.Count), parallel, async (i, token) =>
        {
            var announcement = announcements[i];
            var now = DateTimeOffset.UtcNow;
            var pushes = DevicePushes.Parse(null);
            var traceRows = new List<TableTransactionAction>();
            foreach (var device in registrations.GetValueOrDefault(announcement.PartitionKey) ?? [])
            {
                var deviceId = device.RowKey[DeviceRegistrations.RowKeyPrefix.Length..];
                var push = pushes.Record(deviceId, DevicePush.From(new ApnsPushResult.Delivered(Guid.NewGuid().ToString()), now));
                traceRows.Add(new(TableTransactionActionType.UpsertReplace, new DeliveryTraceEntity
                {
                    PartitionKey = announcement.PartitionKey,
                    RowKey = DeliveryTraceEntity.RowKeyFor(now, DeliveryTraceKinds.Push, $"{announcement.Version}|{deviceId}|{push.Pushes}"),
                    At = now,
                    Kind = DeliveryTraceKinds.Push,
                    Device = deviceId,
                    Version = announcement.Version,
                    Status = push.Status,
                    Detail = push.State,
                    ApnsId = push.ApnsId,
                }));
            }

            announcement.Pending = "";
            announcement.SetRecords(new Dictionary<string, string> { [ApplePushNotifier.PlatformName] = pushes.ToRecord() });
            await table.SubmitTransactionAsync(traceRows.Prepend(new(TableTransactionActionType.UpdateReplace, announcement, announcement.ETag)), token);
        });
    }

    /// <summary>Times <see cref="RunAsync"/>: members done and the wall time it took.</summary>
    public async Task<(int Members, TimeSpan Elapsed)> TimeAsync(int members)
    {
        var stopwatch = Stopwatch.StartNew();
        var done = await RunAsync(members);
        return (done, stopwatch.Elapsed);
    }
}
