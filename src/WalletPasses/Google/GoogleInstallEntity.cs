using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Google;

/// <summary>Row <c>google-install</c> in the member's partition of <c>members</c>: whether someone holds the Google pass.</summary>
public sealed class GoogleInstallEntity : ITableEntity
{
    public const string RowKeyValue = TableRows.Members.GoogleInstall;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string ObjectId { get; set; } = "";

    public bool Installed { get; set; }

    public DateTimeOffset? InstalledAt { get; set; }

    public DateTimeOffset? RemovedAt { get; set; }
}
