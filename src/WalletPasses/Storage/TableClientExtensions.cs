using Azure.Data.Tables;

namespace WalletPasses.Storage;

/// <summary>Reads every table here shares.</summary>
public static class TableClientExtensions
{
    /// <summary>The row, or null when it does not exist (one point read; a 404 is not an error here).</summary>
    public static async Task<T?> GetIfExistsAsync<T>(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var response = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }
}
