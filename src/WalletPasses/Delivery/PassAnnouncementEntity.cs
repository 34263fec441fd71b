using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Delivery;

/// <summary>
/// The outbox: row <c>announcement</c> in the member's partition of <c>members</c>, written in the same entity
/// group transaction as the pass version it announces (so a version never exists without it), replaced by the
/// next version's. <see cref="Pending"/> names the platforms that have not heard of this version yet; a platform
/// leaves it only once it has the version (Apple: APNs accepted the push to every device, or the device is gone;
/// Google: the object shows the version). One row per member, whatever the number of devices: the per-device
/// state lives in the platform records of this row.
/// </summary>
public sealed class PassAnnouncementEntity : ITableEntity
{
    public const string RowKeyValue = TableRows.Members.Announcement;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string SerialNumber { get; set; } = "";

    /// <summary>The member's pass version this row announces.</summary>
    public long Version { get; set; }

    public DateTimeOffset AnnouncedAt { get; set; }

    /// <summary>Platforms still to hear of the version, space-separated; empty once all have it.</summary>
    public string Pending { get; set; } = "";

    /// <summary>Delivery attempts that left a platform pending; the retry delay doubles with each.</summary>
    public int FailedAttempts { get; set; }

    /// <summary>JSON object: platform -> its record of this version's delivery (Apple: one entry per device).</summary>
    public string? RecordsJson { get; set; }

    /// <summary>
    /// JSON object: device library identifier -> how often a registration reopened this version for it
    /// (<see cref="LateRegistrationRule"/>). A count, not a flag: a delivery whose save lost the race tells from it which
    /// devices registered while it ran (<see cref="LostSaveMerge"/>), even when one registers twice.
    /// </summary>
    public string? ReopenedJson { get; set; }

    [IgnoreDataMember]
    public IReadOnlyList<string> PendingPlatforms => Pending.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [IgnoreDataMember]
    public bool IsCleared => Pending.Length == 0;

    public Dictionary<string, string> Records() =>
        string.IsNullOrEmpty(RecordsJson) ? new(StringComparer.Ordinal) : JsonSerializer.Deserialize<Dictionary<string, string>>(RecordsJson, Json) ?? new(StringComparer.Ordinal);

    public Dictionary<string, int> Reopenings() =>
        string.IsNullOrEmpty(ReopenedJson) ? new(StringComparer.Ordinal) : JsonSerializer.Deserialize<Dictionary<string, int>>(ReopenedJson, Json) ?? new(StringComparer.Ordinal);

    public void SetReopenings(IReadOnlyDictionary<string, int> reopenings) => ReopenedJson = reopenings.Count == 0 ? null : JsonSerializer.Serialize(reopenings, Json);

    /// <summary>The row as read, before a delivery attempt changes it: what <see cref="LostSaveMerge"/> compares against.</summary>
    public PassAnnouncementEntity Copy() => (PassAnnouncementEntity)MemberwiseClone();

    public void SetRecords(IReadOnlyDictionary<string, string> records) => RecordsJson = records.Count == 0 ? null : JsonSerializer.Serialize(records, Json);
}
