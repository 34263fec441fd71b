using Azure;
using Azure.Data.Tables;

namespace WalletPasses.Google;

/// <summary>
/// Table <c>googlecallbacks</c>: one row per callback nonce, PartitionKey = the UTC day the signed message
/// expires (<c>yyyyMMdd</c>), RowKey = hex SHA-256 of the nonce (a nonce may hold characters keys forbid).
/// After that day the verifier refuses the message anyway, so old partitions are purged.
/// </summary>
public sealed class GoogleCallbackEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string ObjectId { get; set; } = "";

    public string EventType { get; set; } = "";

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>False while (or if) its processing has not finished: a redelivery then finishes it.</summary>
    public bool Processed { get; set; }
}
