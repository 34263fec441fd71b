using Azure;
using Azure.Data.Tables;

namespace WalletPasses.Staff;

/// <summary>
/// Table <c>staffkeys</c>: PartitionKey = "staff-key", RowKey = the key's name. One small partition (a row
/// per store device), read whole into memory, so authenticating never asks storage per request.
/// Only the SHA-256 of a key is stored; revoked keys stay as rows so scans keep naming them.
/// </summary>
public sealed class StaffKeyEntity : ITableEntity
{
    public const string PartitionKeyValue = "staff-key";

    public string PartitionKey { get; set; } = PartitionKeyValue;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>Hex SHA-256 of the key.</summary>
    public string KeyHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The backend key that created it.</summary>
    public string CreatedBy { get; set; } = "";

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The programs whose passes the key may see, comma-separated; null: every program.</summary>
    public string? Programs { get; set; }
}
