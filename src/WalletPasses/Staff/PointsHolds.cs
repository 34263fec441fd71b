namespace WalletPasses.Staff;

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
