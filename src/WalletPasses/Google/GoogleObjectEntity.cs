using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Google;

/// <summary>
/// Row <c>google</c> in the member's partition of <c>members</c>: what the member's Google object was last
/// made to show. Written only by <see cref="GoogleObjectSync"/>, after Google accepted the write.
/// </summary>
public sealed class GoogleObjectEntity : ITableEntity
{
    public const string RowKeyValue = TableRows.Members.Google;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The pass the object belongs to; a member who was erased and came back has a new one.</summary>
    public string SerialNumber { get; set; } = "";

    public string ObjectId { get; set; } = "";

    /// <summary>The member's pass version the object shows.</summary>
    public long SyncedVersion { get; set; }

    public long Points { get; set; }

    public string Tier { get; set; } = "";

    /// <summary>The object was voided (state INACTIVE, personal fields cleared).</summary>
    public bool Voided { get; set; }

    /// <summary>JSON: offer id -> fingerprint of the message the object has for it.</summary>
    public string? OffersJson { get; set; }

    /// <summary>JSON: when Google was asked to notify the holder, the last 24 hours.</summary>
    public string? NotificationsJson { get; set; }

    /// <summary>JSON of the message that announced the member's latest tier change (kept on the object), if any.</summary>
    public string? TierMessageJson { get; set; }

    /// <summary>The member's deferred tier announcement the object shows (<see cref="Member.Announcement"/>).</summary>
    public string? Announcement { get; set; }

    /// <summary>
    /// An important alert (the tier message's notification) Google refused for its quota: the object shows the message
    /// silently, and a notifying copy replaces it at this time (<see cref="GoogleHeldAlerts"/>). Null: nothing held back.
    /// </summary>
    public DateTimeOffset? HeldAlertUntil { get; set; }

    public DateTimeOffset SyncedAt { get; set; }
}
