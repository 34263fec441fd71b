using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Staff;

/// <summary>
/// Row <c>redemption|{idempotency key}</c> in the member's partition of <c>members</c>: a redemption that
/// was accepted, with the exact answer given, so the same key always gets the same answer; and the
/// pass-activity message it owes, until <see cref="Published"/>.
/// </summary>
public sealed class RedemptionEntity : ITableEntity
{
    public const string RowKeyPrefix = TableRows.Members.RedemptionPrefix;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string RedemptionId { get; set; } = "";

    /// <summary>SHA-256 of what was asked (pass, perk or points): the same key with another request is refused.</summary>
    public string RequestHash { get; set; } = "";

    public string? PerkId { get; set; }

    public long? Points { get; set; }

    public string StaffKey { get; set; } = "";

    public string? Location { get; set; }

    public DateTimeOffset RedeemedAt { get; set; }

    public int AnswerStatus { get; set; }

    public string AnswerJson { get; set; } = "";

    public string ActivityJson { get; set; } = "";

    /// <summary>The activity is on pass-activity (and handed to the webhook, for points).</summary>
    public bool Published { get; set; }

    public static string RowKeyFor(string idempotencyKey) => TableRows.Members.Redemption(idempotencyKey);
}
