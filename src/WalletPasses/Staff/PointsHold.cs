namespace WalletPasses.Staff;

/// <summary>Points a staff request asked the backend for and that are not available again until it answers or the hold expires.</summary>
public sealed record PointsHold(string RedemptionId, long Points, DateTimeOffset HeldAt, DateTimeOffset ExpiresAt);
