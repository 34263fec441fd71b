using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Members;

/// <summary>
/// The due index of offer expiries (<see cref="OfferExpiryDueEntity"/>). It lives in a table of its own, so it cannot
/// commit in the member row's transaction (a transaction holds one table's partition); instead it keeps one invariant
/// that a crash anywhere cannot break: a member whose pass shows an offer with an expiry has a row due no later than
/// that expiry. Writers of offers only ever move the row earlier (<see cref="MarkDueByAsync"/>, before the member
/// row is written: a crash after it leaves a row too early, never a missing one); only the job moves it later or
/// removes it (<see cref="AdvanceAsync"/>), after reading the member, and only as it read the row (its ETag), so a
/// writer's earlier mark meanwhile stands. A row due too early costs the job one member read and no version.
/// </summary>
public sealed class OfferExpiries(StorageClients storage, TimeProvider time)
{
    private const int MaxAttempts = 8;

    private TableClient Due => storage.Table(StorageNames.OfferExpiriesTable);

    /// <summary>Makes the member due at <paramref name="at"/> at the latest: a row due earlier stays as it is.</summary>
    public Task MarkDueByAsync(string memberId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ConflictRetry.RunAsync("An offer expiry's due row", MaxAttempts, async _ =>
        {
            var row = await Due.GetIfExistsAsync<OfferExpiryDueEntity>(memberId, "", cancellationToken);
            if (row is not null && row.DueAt <= at)
            {
                return true;
            }

            var due = new OfferExpiryDueEntity { PartitionKey = memberId, DueAt = at };

            // Another writer marked or the job advanced it meanwhile: read again.
            return await ConflictRetry.TryWriteAsync(
                () => row is null ? Due.AddEntityAsync(due, cancellationToken) : Due.UpdateEntityAsync(due, row.ETag, TableUpdateMode.Replace, cancellationToken),
                StorageConflict.Any);
        });

    /// <summary>Rows due now, at most <paramref name="max"/>.</summary>
    public Task<IReadOnlyList<OfferExpiryDueEntity>> DueAsync(int max, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return Due.TakeAsync<OfferExpiryDueEntity>(row => row.DueAt <= now, max, cancellationToken);
    }

    /// <summary>
    /// After the job looked at the member: due again at <paramref name="next"/>, or removed when nothing more expires.
    /// Only as <paramref name="due"/> was read: a row marked earlier meanwhile, or advanced by another instance, stands.
    /// </summary>
    public async Task AdvanceAsync(OfferExpiryDueEntity due, DateTimeOffset? next, CancellationToken cancellationToken)
    {
        if (next is not { } at)
        {
            await Due.DeleteIfUnchangedAsync(due.PartitionKey, due.RowKey, due.ETag, cancellationToken);
            return;
        }

        try
        {
            await Due.UpdateEntityAsync(new OfferExpiryDueEntity { PartitionKey = due.PartitionKey, RowKey = due.RowKey, DueAt = at }, due.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Changed or removed since it was read: that writer's row stands.
        }
    }
}
