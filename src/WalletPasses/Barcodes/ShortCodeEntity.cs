using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Barcodes;

/// <summary>
/// Row <c>(code, "code")</c> in table <c>passes</c>: the token a short code stands for. Written before the member
/// row that shows it and never changed (like the serial's <c>pass</c> row), so a code whose member write failed
/// names a token that was never current, which checks treat as not valid.
/// </summary>
public sealed class ShortCodeEntity : ITableEntity
{
    public const string RowKeyValue = TableRows.Passes.ShortCode;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Token { get; set; } = "";
}
