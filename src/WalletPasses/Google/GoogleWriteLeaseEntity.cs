using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Google;

/// <summary>
/// Row <c>google-lease</c> in the member's partition of <c>members</c>: the sync that may write the member's Google
/// object, and until when (<see cref="GoogleWriteLease"/>). Deleted when that sync is done; one still there after
/// <see cref="Until"/> belongs to a sync whose last write may have landed unrecorded.
/// </summary>
public sealed class GoogleWriteLeaseEntity : ITableEntity
{
    public const string RowKeyValue = TableRows.Members.GoogleLease;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset Until { get; set; }
}
