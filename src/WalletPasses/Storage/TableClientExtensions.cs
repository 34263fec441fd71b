using Azure.Data.Tables;

namespace WalletPasses.Storage;

/// <summary>Reads and conditional writes every table here shares.</summary>
public static class TableClientExtensions
{
    /// <summary>
    /// Deletes the row only as it was read (by its <paramref name="etag"/>): true when deleted, false when it was gone
    /// already or changed since (another writer's newer row stands). The SDK answers a missing row with a 404 response
    /// rather than an exception, and a changed one with a 412 exception.
    /// </summary>
    public static async Task<bool> DeleteIfUnchangedAsync(this TableClient table, string partitionKey, string rowKey, Azure.ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            return (await table.DeleteEntityAsync(partitionKey, rowKey, etag, cancellationToken)).Status != 404;
        }
        catch (Azure.RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>The row, or null when it does not exist (one point read; a 404 is not an error here).</summary>
    public static async Task<T?> GetIfExistsAsync<T>(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var response = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// <paramref name="entity"/> with <paramref name="row"/>'s keys, timestamp and ETag: for entities read as a
    /// <see cref="TableEntity"/> with explicit property reads, on paths a cold instance's first answer takes, where
    /// the SDK's typed read would first compile expression trees for every property (Azure.Core's TypeBinder).
    /// </summary>
    public static T WithKeysOf<T>(this T entity, TableEntity row)
        where T : ITableEntity
    {
        entity.PartitionKey = row.PartitionKey;
        entity.RowKey = row.RowKey;
        entity.Timestamp = row.Timestamp;
        entity.ETag = row.ETag;
        return entity;
    }

    /// <summary>The first <paramref name="max"/> entities matching <paramref name="filter"/> (one page when they fit in it).</summary>
    public static async Task<IReadOnlyList<T>> TakeAsync<T>(this TableClient table, System.Linq.Expressions.Expression<Func<T, bool>> filter, int max, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var rows = new List<T>();
        await foreach (var row in table.QueryAsync(filter, maxPerPage: max, cancellationToken: cancellationToken))
        {
            rows.Add(row);
            if (rows.Count == max)
            {
                break;
            }
        }

        return rows;
    }
}
