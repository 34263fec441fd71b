namespace WalletPasses.Staff;

/// <summary>
/// The extension members of a refused redemption's problem details (see <see cref="RedemptionPlanner"/>), as the
/// OpenAPI document declares them: <paramref name="Reason"/> always (<c>already-redeemed</c>, <c>insufficient-points</c>,
/// <c>perk-not-in-tier</c>, <c>idempotency-key-reused</c>, <c>voided</c> or why the barcode is not a valid pass, one of
/// <see cref="ScanReasons"/>); <paramref name="RedeemedAt"/> with <c>already-redeemed</c>; the points of the member with
/// <c>insufficient-points</c>. Never built: the planner writes the same names into the answer's extensions.
/// </summary>
public sealed record RedemptionRefusalMembers(string Reason, DateTimeOffset? RedeemedAt = null, long? Balance = null, long? Held = null, long? Available = null);
