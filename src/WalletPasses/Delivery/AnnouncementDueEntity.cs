using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Delivery;

/// <summary>
/// Table <c>announcementsdue</c>, PartitionKey = member id: the member's announcement may still be pending and
/// nothing else will finish it (a platform failed, or an HTTP request that nothing redelivers is about to
/// announce). Only such members are here, so <see cref="StaleAnnouncementsJob"/> finds them without scanning
/// <c>members</c>; a row whose announcement turns out cleared is removed, once no marking request can still commit.
/// </summary>
public sealed class AnnouncementDueEntity : ITableEntity
{
    public const string RowKeyValue = TableRows.AnnouncementsDue.Due;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>When the job takes it up.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>
    /// Set by <see cref="Announcements.MarkAnnouncingAsync"/>: until then a version may still be committed by the request
    /// that marked the row, so a cleared announcement does not end the row before it.
    /// </summary>
    public DateTimeOffset? AnnouncingUntil { get; set; }

    /// <summary>
    /// The job found the announcement delivered and keeps the row only until <see cref="AnnouncingUntil"/> had passed:
    /// nothing is pending, so the health backlog's sample skips it (every member change leaves such a row for minutes).
    /// Written false by every mark.
    /// </summary>
    public bool Settled { get; set; }

    /// <summary>The last failure, for operators (never a token or key).</summary>
    public string? LastError { get; set; }
}
