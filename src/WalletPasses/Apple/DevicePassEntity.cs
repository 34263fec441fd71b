using Azure;
using Azure.Data.Tables;

namespace WalletPasses.Apple;

/// <summary>Table <c>devices</c>: PartitionKey = deviceLibraryIdentifier, RowKey = serial number.</summary>
public sealed class DevicePassEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string MemberId { get; set; } = "";
}
