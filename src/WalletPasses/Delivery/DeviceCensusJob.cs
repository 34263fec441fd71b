using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Jobs;
using WalletPasses.Storage;
using WalletPasses.Telemetry;

namespace WalletPasses.Delivery;

/// <summary>
/// Counts every registered device by whether it holds its member's latest pass version (<see cref="DeviceCensus"/>),
/// for <c>GET /api/health</c> and the <c>walletpasses.devices.*</c> gauges. A census walks <c>members</c> in member-id
/// order, a chunk of <see cref="DeliveryOptions.CensusMembersPerChunk"/> members at a time, and starts again
/// <see cref="DeliveryOptions.CensusInterval"/> after the previous one started.
/// <para>
/// Why a resumable walk with its state in one row, rather than a counter every fetch and push updates: a counter
/// would be one hot row written on the refetch path, and any write lost between a member's change and the counter's
/// (a crash, a lost race) would leave it wrong for good; a census recounts from the source rows, so it heals by
/// itself. The cursor and the partial sums are written together, under the row's ETag, after every chunk: a crash
/// loses at most the chunk being counted (the next run redoes it from the saved cursor), and when two instances count
/// the same chunk only the first write wins (the other's 412 ends its run), so no member is counted twice or skipped.
/// Each run stops after <see cref="DeliveryOptions.CensusRunBudget"/> (wall clock), so a timer invocation stays short
/// whatever the number of members; the next run carries on.
/// </para>
/// </summary>
public sealed partial class DeviceCensusJob(
    StorageClients storage, IOptions<DeliveryOptions> options, WalletPassesTelemetry telemetry, TimeProvider time, ILogger<DeviceCensusJob> logger) : IPeriodicJob
{
    /// <summary>NCRONTAB (with seconds) for the Functions timer trigger: every minute.</summary>
    public const string Schedule = "30 * * * * *";

    private static readonly string[] CensusColumns =
        ["PartitionKey", "RowKey", "SerialNumber", "PassVersion", "AnnouncedAt", "RecordsJson", "RegisteredAt"];

    private const int TraceQueriesAtOnce = 8;

    public string Name => "DeviceCensus";

    public TimeSpan StandaloneInterval => TimeSpan.FromMinutes(1);

    private TableClient Table => storage.Table(StorageNames.DeliveryTraceTable);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var census = await StartOrResumeAsync(cancellationToken);
        var budget = Stopwatch.StartNew();
        while (census is not null)
        {
            var (counted, last, finished) = await CountChunkAsync(census.Cursor, cancellationToken);
            if (finished)
            {
                census.Completed = census.Counting.Add(counted);
                (census.CompletedStartedAt, census.CompletedAt) = (census.CountingStartedAt, time.GetUtcNow());
                (census.CountingStartedAt, census.Cursor, census.Counting) = (null, "", DeviceCensusCounts.None);
            }
            else
            {
                (census.Counting, census.Cursor) = (census.Counting.Add(counted), last!);
            }

            if (!await TrySaveAsync(census, cancellationToken))
            {
                return; // another instance saved this chunk (or moved on): its count stands, this run's is dropped
            }

            if (finished)
            {
                telemetry.DevicesCounted(census.Completed!.Registered, census.Completed.Current);
                LogCompleted(logger, census.Completed!.Registered, census.Completed.Current, census.Completed.Members);
                return;
            }

            if (budget.Elapsed >= options.Value.CensusRunBudget)
            {
                return;
            }
        }
    }

    /// <summary>The census row with a census in progress (a new one when the last is due), or null when none is due.</summary>
    private async Task<DeviceCensusEntity?> StartOrResumeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var census = await Table.GetIfExistsAsync<DeviceCensusEntity>(TableRows.DeliveryTrace.CensusPartition, TableRows.DeliveryTrace.Census, cancellationToken);
        if (census?.CountingStartedAt is not null)
        {
            return census;
        }

        if (census?.CompletedStartedAt is { } lastStarted && now - lastStarted < options.Value.CensusInterval)
        {
            return null;
        }

        var starting = census ?? new DeviceCensusEntity();
        (starting.CountingStartedAt, starting.Cursor, starting.Counting) = (now, "", DeviceCensusCounts.None);
        return await TrySaveAsync(starting, cancellationToken) ? starting : null;
    }

    /// <summary>Writes the row under its ETag (inserts it the first time); false when another instance wrote first.</summary>
    private async Task<bool> TrySaveAsync(DeviceCensusEntity census, CancellationToken cancellationToken)
    {
        try
        {
            var response = census.ETag == default
                ? await Table.AddEntityAsync(census, cancellationToken)
                : await Table.UpdateEntityAsync(census, census.ETag, TableUpdateMode.Replace, cancellationToken);
            census.ETag = response.Headers.ETag ?? census.ETag;
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return false; // 404: the row was deleted meanwhile; the next run starts a census afresh
        }
    }

    /// <summary>
    /// Counts the members after <paramref name="cursor"/>, up to a chunk: their <c>member</c>, <c>announcement</c> and
    /// <c>reg|</c> rows come in one filtered query, in key order, so a member is complete once the next one's rows begin.
    /// </summary>
    private async Task<(DeviceCensusCounts Counted, string? Last, bool Finished)> CountChunkAsync(string cursor, CancellationToken cancellationToken)
    {
        var chunk = options.Value.CensusMembersPerChunk;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey gt {cursor} and (RowKey eq {TableRows.Members.Member} or RowKey eq {TableRows.Members.Announcement} or (RowKey ge {TableRows.Members.RegistrationPrefix} and RowKey lt {TableRows.RangeEnd(TableRows.Members.RegistrationPrefix)}))");
        var members = new List<List<TableEntity>>();
        var finished = true;
        await foreach (var row in storage.Members.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: CensusColumns, cancellationToken: cancellationToken))
        {
            if (members.Count == 0 || row.PartitionKey != members[^1][0].PartitionKey)
            {
                if (members.Count == chunk)
                {
                    finished = false; // the chunk's last member is complete: the next one's rows began
                    break;
                }

                members.Add([]);
            }

            members[^1].Add(row);
        }

        // The trace queries are independent point-range reads in different partitions: a few at once.
        var counted = new DeviceCensusCounts[members.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, members.Count),
            new ParallelOptions { MaxDegreeOfParallelism = TraceQueriesAtOnce, CancellationToken = cancellationToken },
            async (index, ct) => counted[index] = await CountMemberAsync(members[index], ct));
        return (counted.Aggregate(DeviceCensusCounts.None, (sum, member) => sum.Add(member)), finished ? null : members[^1][0].PartitionKey, finished);
    }

    private async Task<DeviceCensusCounts> CountMemberAsync(List<TableEntity> rows, CancellationToken cancellationToken)
    {
        var member = rows.Find(r => r.RowKey == TableRows.Members.Member);
        if (member is null)
        {
            return DeviceCensusCounts.None; // rows left of an erased member
        }

        var (serialNumber, version) = (member.GetString("SerialNumber") ?? "", member.GetInt64("PassVersion") ?? 0);
        var announcement = rows.Find(r => r.RowKey == TableRows.Members.Announcement);
        var announcedAt = announcement?.GetDateTimeOffset("AnnouncedAt");
        var applePushes = announcement is null ? null : new PassAnnouncementEntity { RecordsJson = announcement.GetString("RecordsJson") }.Records().GetValueOrDefault(ApplePushNotifier.PlatformName);
        var registrations = rows.Where(r => r.RowKey.StartsWith(TableRows.Members.RegistrationPrefix, StringComparison.Ordinal))
            .Select(r => new CensusRegistration(r.RowKey[TableRows.Members.RegistrationPrefix.Length..], r.GetString("SerialNumber") ?? "", r.GetDateTimeOffset("RegisteredAt") ?? DateTimeOffset.MinValue))
            .ToList();
        var trace = announcedAt is { } since && DeviceCensus.NeedsTrace(serialNumber, registrations, applePushes)
            ? await CallsSinceAsync(member.PartitionKey, since, cancellationToken)
            : [];
        return DeviceCensus.OfMember(serialNumber, version, registrations, announcedAt, applePushes, trace);
    }

    /// <summary>The member's "what changed" calls and fetches since the announcement: one range query in its partition (newest rows sort first).</summary>
    private async Task<List<DeliveryTraceEntity>> CallsSinceAsync(string memberId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {memberId} and RowKey ge {DeliveryTraceEntity.RowKeyPrefix} and RowKey lt {DeliveryTraceEntity.RowKeyEndAt(since)} and (Kind eq {DeliveryTraceKinds.List} or Kind eq {DeliveryTraceKinds.Fetch})");
        var rows = new List<DeliveryTraceEntity>();
        await foreach (var row in storage.Members.QueryAsync<DeliveryTraceEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    [LoggerMessage(LogLevel.Information, "Device census: {Current} of {Registered} registered devices of {Members} members hold the latest pass version")]
    private static partial void LogCompleted(ILogger logger, long registered, long current, long members);
}
