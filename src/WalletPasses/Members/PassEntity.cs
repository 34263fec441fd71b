using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Members;

/// <summary>
/// Table <c>passes</c>: PartitionKey = serial number, RowKey = "pass". The point lookup from a serial number
/// (Apple web service, barcode scans, download links) to its member. Never changes after creation.
/// </summary>
public sealed class PassEntity : ITableEntity
{
    public const string RowKeyValue = TableRows.Passes.Pass;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string MemberId { get; set; } = "";

    public string PassTypeIdentifier { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
