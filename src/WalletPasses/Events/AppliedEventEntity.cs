using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Events;

/// <summary>
/// Row <c>event|{eventId}</c> in the member's partition: the record that an event took effect, written in
/// the same entity group transaction as the member row, so an event applies exactly once.
/// </summary>
public sealed class AppliedEventEntity : ITableEntity
{
    public const string RowKeyPrefix = TableRows.Members.EventPrefix;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public long Sequence { get; set; }

    public string Type { get; set; } = "";

    public DateTimeOffset ProcessedAt { get; set; }
}
