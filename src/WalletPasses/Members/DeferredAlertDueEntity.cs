using Azure;
using Azure.Data.Tables;

namespace WalletPasses.Members;

/// <summary>
/// Table <c>alertsdue</c>: PartitionKey = member id, RowKey "". The member has an important alert deferred past quiet
/// hours (kept in the member's event state), due at <see cref="DueAt"/>. Written before the member row, so no deferred
/// alert is without one; a row whose member has nothing deferred any more is simply removed. RowKey = a platform's
/// <see cref="IHeldPlatformAlerts.DueRowKey"/> (<c>google</c>): an alert that platform refused for its quota and holds
/// back (kept in the platform's own row), written before that row in the same way.
/// </summary>
public sealed class DeferredAlertDueEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset DueAt { get; set; }
}
