using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Members;

/// <summary>The due index of deferred alerts (<see cref="DeferredAlertDueEntity"/>).</summary>
public sealed class DeferredAlerts(StorageClients storage, TimeProvider time)
{
    private TableClient Due => storage.Table(StorageNames.DeferredAlertsTable);

    /// <param name="rowKey">Empty for the member's deferred alert; a platform's <see cref="IHeldPlatformAlerts.DueRowKey"/> for the alert it holds back.</param>
    public Task MarkDueAsync(string memberId, DateTimeOffset at, CancellationToken cancellationToken, string rowKey = "") =>
        Due.UpsertEntityAsync(new DeferredAlertDueEntity { PartitionKey = memberId, RowKey = rowKey, DueAt = at }, TableUpdateMode.Replace, cancellationToken);

    /// <summary>Rows due now, at most <paramref name="max"/>.</summary>
    public Task<IReadOnlyList<DeferredAlertDueEntity>> DueAsync(int max, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return Due.TakeAsync<DeferredAlertDueEntity>(row => row.DueAt <= now, max, cancellationToken);
    }

    /// <summary>Removes a row as read: if the member was marked due again meanwhile (its ETag moved), that row stays.</summary>
    public Task RemoveAsync(DeferredAlertDueEntity due, CancellationToken cancellationToken) =>
        Due.DeleteIfUnchangedAsync(due.PartitionKey, due.RowKey, due.ETag, cancellationToken); // marked again, or removed by another instance: leave it
}
