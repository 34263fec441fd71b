using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Popups;

/// <summary>Storage of a program's pop-ups and of its <see cref="CarriedPopupsEntity"/>, all in the program's partition of table <c>popups</c>.</summary>
public sealed class PopupStore(StorageClients storage)
{
    private TableClient Table => storage.Table(StorageNames.PopupsTable);

    public async Task<IReadOnlyList<PopupEntity>> ListAsync(string programId, CancellationToken cancellationToken)
    {
        var rows = new List<PopupEntity>();
        await foreach (var row in Table.QueryAsync<PopupEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {programId} and RowKey lt {CarriedPopupsEntity.RowKeyValue}"), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    public Task<PopupEntity?> GetAsync(string programId, string popupId, CancellationToken cancellationToken) =>
        Table.GetIfExistsAsync<PopupEntity>(programId, popupId, cancellationToken);

    public async Task<bool> ExistsAsync(string programId, string popupId, CancellationToken cancellationToken) =>
        PopupValidation.IsPopupId(popupId) && await GetAsync(programId, popupId, cancellationToken) is not null;

    public async Task AddAsync(PopupEntity popup, CancellationToken cancellationToken) =>
        await Table.AddEntityAsync(popup, cancellationToken);

    /// <summary>Replaces a stored pop-up; false when it was deleted meanwhile.</summary>
    public async Task<bool> ReplaceAsync(PopupEntity popup, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(popup, ETag.All, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Deletes a pop-up; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string programId, string popupId, CancellationToken cancellationToken)
    {
        var response = await Table.DeleteEntityAsync(programId, popupId, ETag.All, cancellationToken);
        return response.Status != 404;
    }

    public Task<CarriedPopupsEntity?> GetCarriedAsync(string programId, CancellationToken cancellationToken) =>
        Table.GetIfExistsAsync<CarriedPopupsEntity>(programId, CarriedPopupsEntity.RowKeyValue, cancellationToken);

    /// <summary>Writes the carried set if nobody else did since it was read (added when <paramref name="readETag"/> is null); false when someone did.</summary>
    public async Task<bool> TryWriteCarriedAsync(CarriedPopupsEntity carried, ETag? readETag, CancellationToken cancellationToken)
    {
        try
        {
            var response = readETag is { } etag
                ? await Table.UpdateEntityAsync(carried, etag, TableUpdateMode.Replace, cancellationToken)
                : await Table.AddEntityAsync(carried, cancellationToken);
            carried.ETag = response.Headers.ETag ?? carried.ETag;
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return false;
        }
    }
}
