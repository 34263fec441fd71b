using System.Globalization;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Barcodes;

/// <summary>
/// Partition <c>voided</c> of table <c>passes</c>, RowKey <c>{voided at, ticks D19}|{serial}</c>: every voided
/// pass in the order it was voided, so a staff device fetches only what is new since its last sync and then
/// refuses those passes when it checks barcodes offline. Serial numbers and their program only: nothing about the member.
/// </summary>
public sealed class VoidedPasses(StorageClients storage)
{
    public const string PartitionKeyValue = TableRows.Passes.VoidedPartition;
    public const int PageSize = 1000;
    public const string ProgramIdProperty = "ProgramId";

    /// <summary>
    /// Idempotent: the voiding pass version's time (<paramref name="voidedAt"/>) keys the row, so a retried erasure
    /// writes the same row.
    /// </summary>
    public Task RecordAsync(string serialNumber, string programId, DateTimeOffset voidedAt, CancellationToken cancellationToken) =>
        storage.Passes.UpsertEntityAsync(
            new TableEntity(PartitionKeyValue, RowKeyFor(serialNumber, voidedAt)) { [ProgramIdProperty] = programId }, TableUpdateMode.Replace, cancellationToken);

    /// <summary>
    /// The serials of <paramref name="programIds"/> among the next <see cref="PageSize"/> voided after the cursor, and the
    /// cursor to ask with next (past the other programs' rows too; unchanged when nothing is new). Rows recorded before
    /// rows named their program are every program's: serials only, and dropping them would let a voided pass pass offline.
    /// </summary>
    public async Task<(IReadOnlyList<string> Serials, string Next)> AfterAsync(string after, IReadOnlyCollection<string> programIds, CancellationToken cancellationToken)
    {
        var serials = new List<string>();
        var next = after;
        var rows = storage.Passes.QueryAsync<TableEntity>(
            e => e.PartitionKey == PartitionKeyValue && e.RowKey.CompareTo(after) > 0, maxPerPage: PageSize, select: [nameof(ITableEntity.RowKey), ProgramIdProperty], cancellationToken: cancellationToken);
        await foreach (var page in rows.AsPages())
        {
            foreach (var row in page.Values)
            {
                if (row.GetString(ProgramIdProperty) is not { } programId || programIds.Contains(programId))
                {
                    serials.Add(row.RowKey[(row.RowKey.IndexOf('|', StringComparison.Ordinal) + 1)..]);
                }

                next = row.RowKey;
            }

            break; // one page per call; the device asks again with the cursor
        }

        return (serials, next);
    }

    private static string RowKeyFor(string serialNumber, DateTimeOffset voidedAt) =>
        voidedAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + serialNumber;
}
