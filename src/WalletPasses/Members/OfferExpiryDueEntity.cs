using Azure;
using Azure.Data.Tables;

namespace WalletPasses.Members;

/// <summary>
/// Table <c>offersdue</c>: PartitionKey = member id, RowKey "". The member's pass shows an offer that expires at
/// <see cref="DueAt"/> or later (<see cref="OfferExpiries"/> keeps the row at or before the earliest expiry the member
/// row holds); the offer-expiry job takes the member up when it is due.
/// </summary>
public sealed class OfferExpiryDueEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset DueAt { get; set; }
}
