using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Jobs;

namespace WalletPasses.Storage;

/// <summary>
/// Deletes what outlived <see cref="RetentionOptions"/>: applied-event and trace rows and past days' perk claims
/// (<c>event|…</c>, <c>trace|…</c>, <c>perk|…|day|…</c> in member partitions), scans, re-push check rows, and (through <see cref="IRetentionSweep"/>) expired Google callback nonces.
/// Idempotent: two instances sweeping at once delete the same rows, and a row already gone is skipped.
/// The expired rows are found by filtered queries over whole tables (a filter on a timestamp cannot use the keys), read
/// by <see cref="ResumableSweep"/>: each table's scan carries on where the last run stopped, and a run stops a table at
/// the end of the page in which it reached <see cref="RetentionOptions.MaxDeletesPerRun"/> rows deleted (pages of at
/// most that many rows) or after <see cref="RetentionOptions.SweepRunBudget"/>,
/// so rows past what one run can read are reached by the next ones rather than never. Deleted in entity group
/// transactions of up to 100 rows of one partition.
/// </summary>
public sealed partial class RetentionSweepJob(
    StorageClients storage,
    ResumableSweep sweep,
    IEnumerable<IRetentionSweep> sweeps,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionSweepJob> logger) : IPeriodicJob
{
    /// <summary>NCRONTAB (with seconds) for the Functions timer trigger: hourly, at minute 17.</summary>
    public const string Schedule = "0 17 * * * *";

    private const int MaxBatch = 100; // Table Storage's limit of operations in one entity group transaction

    public string Name => "RetentionSweep";

    public TimeSpan StandaloneInterval => TimeSpan.FromHours(1);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var retention = options.Value;
        // One scan of members for every kind of expiring row in member partitions. Once-only perk claims share the
        // claims' range and keep forever: the query returns old ones too (a filter cannot match inside a key), they are skipped.
        var memberRows = await DeleteAsync(
            "retention-members",
            storage.Members,
            TableClient.CreateQueryFilter(
                $"(RowKey ge {TableRows.Members.EventPrefix} and RowKey lt {TableRows.RangeEnd(TableRows.Members.EventPrefix)} and ProcessedAt lt {now - retention.AppliedEvents}) or (RowKey ge {TableRows.Members.TracePrefix} and RowKey lt {TableRows.RangeEnd(TableRows.Members.TracePrefix)} and At lt {now - retention.DeliveryTrace}) or (RowKey ge {TableRows.Members.PerkClaimPrefix} and RowKey lt {TableRows.RangeEnd(TableRows.Members.PerkClaimPrefix)} and RedeemedAt lt {now - RetentionOptions.PerkClaimsOfDay})"),
            cancellationToken,
            row => !row.RowKey.StartsWith(TableRows.Members.PerkClaimPrefix, StringComparison.Ordinal) || TableRows.Members.IsPerkClaimOfDay(row.RowKey));
        var scans = await DeleteAsync("retention-scans", storage.Table(StorageNames.ScansTable), TableClient.CreateQueryFilter($"ScannedAt lt {now - retention.Scans}"), cancellationToken);
        var checks = await DeleteAsync("retention-deliverytrace", storage.Table(StorageNames.DeliveryTraceTable), TableClient.CreateQueryFilter($"At lt {now - retention.DeliveryTrace}"), cancellationToken);
        foreach (var capabilitySweep in sweeps)
        {
            await capabilitySweep.SweepAsync(cancellationToken);
        }

        LogSwept(logger, memberRows, scans, checks);
    }

    private Task<int> DeleteAsync(string name, TableClient table, string filter, CancellationToken cancellationToken, Func<TableEntity, bool>? expired = null) =>
        sweep.RunAsync(
            name,
            table,
            filter,
            ["PartitionKey", "RowKey"],
            options.Value.MaxDeletesPerRun,
            options.Value.SweepRunBudget,
            (rows, ct) => DeletePageAsync(table, rows.Where(row => expired is null || expired(row)), ct),
            cancellationToken);

    /// <summary>Deletes a page's rows (in key order) in entity group transactions of one partition and up to 100 rows.</summary>
    private static async Task<int> DeletePageAsync(TableClient table, IEnumerable<TableEntity> rows, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var batch = new List<TableEntity>();
        foreach (var row in rows)
        {
            if (batch.Count == MaxBatch || (batch.Count > 0 && batch[0].PartitionKey != row.PartitionKey))
            {
                deleted += await DeleteBatchAsync(table, batch, cancellationToken);
                batch.Clear();
            }

            batch.Add(row);
        }

        return deleted + await DeleteBatchAsync(table, batch, cancellationToken);
    }

    private static async Task<int> DeleteBatchAsync(TableClient table, List<TableEntity> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        try
        {
            await table.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)), cancellationToken);
            return rows.Count;
        }
        catch (TableTransactionFailedException)
        {
            // One row was deleted meanwhile (another instance sweeping): the rest one by one.
            var deleted = 0;
            foreach (var row in rows)
            {
                // A row already gone answers 404 (no exception).
                if ((await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken)).Status != 404)
                {
                    deleted++;
                }
            }

            return deleted;
        }
    }

    [LoggerMessage(LogLevel.Information, "Retention sweep deleted {MemberRows} applied-event, trace and past perk claim rows, {Scans} scans and {CheckRows} re-push check and stats rows")]
    private static partial void LogSwept(ILogger logger, int memberRows, int scans, int checkRows);
}
