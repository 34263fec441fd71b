using Azure;
using Azure.Data.Tables;

namespace WalletPasses.Apple;

/// <summary>Table <c>members</c>: PartitionKey = member id, RowKey = <c>reg|{deviceLibraryIdentifier}</c>.</summary>
public sealed class DeviceRegistrationEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string PushToken { get; set; } = "";

    public string SerialNumber { get; set; } = "";

    public DateTimeOffset RegisteredAt { get; set; }

    /// <summary>See <see cref="DeviceRegistration.LastRegisteredAt"/>.</summary>
    public DateTimeOffset? LastRegisteredAt { get; set; }
}
