using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WalletPasses.Http;
using WalletPasses.Storage;

namespace WalletPasses.Staff;

/// <summary>
/// Row <c>holds</c> in the member's partition: the member's open points holds as JSON. Written with its ETag in
/// the same entity group transaction as the <c>redemption|…</c> row (or the event that releases a hold), so
/// concurrent requests cannot both take the same points.
/// </summary>
public sealed class PointsHoldsEntity : ITableEntity
{
    public const string RowKeyValue = TableRows.Members.Holds;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string HoldsJson { get; set; } = "[]";

    public IReadOnlyList<PointsHold> ReadHolds() => JsonSerializer.Deserialize<PointsHold[]>(HoldsJson, JsonBody.SerializerOptions) ?? [];

    public void WriteHolds(IReadOnlyList<PointsHold> holds) => HoldsJson = JsonSerializer.Serialize(holds, JsonBody.SerializerOptions);

    /// <summary>The transaction step that writes this row: an insert when it was never stored, else a replace guarded by its ETag.</summary>
    public TableTransactionAction WriteAction() =>
        ETag == default
            ? new TableTransactionAction(TableTransactionActionType.Add, this)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, this, ETag);

    public static async Task<PointsHoldsEntity> ReadAsync(TableClient members, string memberId, CancellationToken cancellationToken) =>
        await members.GetIfExistsAsync<PointsHoldsEntity>(memberId, RowKeyValue, cancellationToken) ?? new PointsHoldsEntity { PartitionKey = memberId };
}
