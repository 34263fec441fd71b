using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Staff;

/// <summary>
/// Table <c>pointswebhook</c>, PartitionKey = redemption id: a points redemption request the webhook has not
/// delivered yet. Written before the first attempt, removed once the backend accepted it (or refused it for
/// good, or the retries ran out), so a restart or scale-in loses no delivery.
/// </summary>
public sealed class PointsWebhookEntity : ITableEntity
{
    public const string RowKeyValue = TableRows.PointsWebhook.Pending;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Json { get; set; } = "";

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }
}
