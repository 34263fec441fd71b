using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WalletPasses.Hosting;

namespace WalletPasses.Staff;

/// <summary>Points a staff request asked the backend for and that are not available again until it answers or the hold expires.</summary>
public sealed record PointsHold(string RedemptionId, long Points, DateTimeOffset HeldAt, DateTimeOffset ExpiresAt);

/// <summary>
/// The rules of points holds, pure: a points redemption holds what it asks for; the available balance is the
/// member's balance minus the unexpired holds. A hold ends when the backend's event names its redemption
/// (a <c>points.changed</c> with the new balance, or <c>points.redemption.refused</c>), or when it expires.
/// </summary>
public static class PointsHolds
{
    public static IReadOnlyList<PointsHold> Active(IEnumerable<PointsHold> holds, DateTimeOffset now) =>
        holds.Where(h => h.ExpiresAt > now).ToArray();

    public static long Held(IEnumerable<PointsHold> holds, DateTimeOffset now) => Active(holds, now).Sum(h => h.Points);

    public static long Available(long balance, IEnumerable<PointsHold> holds, DateTimeOffset now) => Math.Max(0, balance - Held(holds, now));

    /// <summary>The unexpired holds plus the new one (expired ones are dropped on every write, so the list stays short).</summary>
    public static IReadOnlyList<PointsHold> With(IEnumerable<PointsHold> holds, PointsHold hold, DateTimeOffset now) =>
        [.. Active(holds, now), hold];

    /// <summary>The unexpired holds without the named redemption's.</summary>
    public static IReadOnlyList<PointsHold> Without(IEnumerable<PointsHold> holds, string redemptionId, DateTimeOffset now) =>
        Active(holds, now).Where(h => h.RedemptionId != redemptionId).ToArray();
}

/// <summary>
/// Row <c>holds</c> in the member's partition: the member's open points holds as JSON. Written with its ETag in
/// the same entity group transaction as the <c>redemption|…</c> row (or the event that releases a hold), so
/// concurrent requests cannot both take the same points.
/// </summary>
public sealed class PointsHoldsEntity : ITableEntity
{
    public const string RowKeyValue = "holds";

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

    public static async Task<PointsHoldsEntity> ReadAsync(TableClient members, string memberId, CancellationToken cancellationToken)
    {
        var response = await members.GetEntityIfExistsAsync<PointsHoldsEntity>(memberId, RowKeyValue, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value! : new PointsHoldsEntity { PartitionKey = memberId };
    }
}
