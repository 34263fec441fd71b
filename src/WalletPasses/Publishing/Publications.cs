using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Publishing;

/// <summary>Storage of <see cref="PublicationEntity"/> rows: every write after the first is guarded by the row's ETag.</summary>
public sealed class Publications(StorageClients storage)
{
    private TableClient Table => storage.Table(StorageNames.PublicationsTable);

    public Task<PublicationEntity?> GetAsync(string programId, string publicationId, CancellationToken cancellationToken) =>
        Table.GetIfExistsAsync<PublicationEntity>(programId, publicationId, cancellationToken);

    /// <summary>The publication of a draft (by its template.json ETag), if it was published already.</summary>
    public async Task<PublicationEntity?> OfDraftAsync(string programId, string draftETag, CancellationToken cancellationToken)
    {
        await foreach (var row in Table.QueryAsync<PublicationEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {programId} and DraftETag eq {draftETag}"), cancellationToken: cancellationToken))
        {
            return row;
        }

        return null;
    }

    /// <summary>The program's publications still re-issuing, oldest version first.</summary>
    public async Task<IReadOnlyList<PublicationEntity>> RunningAsync(string programId, CancellationToken cancellationToken)
    {
        var running = new List<PublicationEntity>();
        await foreach (var row in Table.QueryAsync<PublicationEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {programId} and State eq {PublicationStates.Running}"), cancellationToken: cancellationToken))
        {
            running.Add(row);
        }

        return running.OrderBy(row => row.TemplateVersion).ToList();
    }

    public async Task AddAsync(PublicationEntity publication, CancellationToken cancellationToken)
    {
        var response = await Table.AddEntityAsync(publication, cancellationToken);
        publication.ETag = response.Headers.ETag ?? publication.ETag;
    }

    /// <summary>Writes the row if nobody else did since it was read (its ETag moves on); false when someone did.</summary>
    public async Task<bool> TryReplaceAsync(PublicationEntity publication, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(publication, publication.ETag, TableUpdateMode.Replace, cancellationToken);
            publication.ETag = response.Headers.ETag ?? publication.ETag;
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }
}
