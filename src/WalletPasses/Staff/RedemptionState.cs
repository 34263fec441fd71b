namespace WalletPasses.Staff;

/// <summary>
/// The member's stored rows a redemption depends on, read before planning: the redemption already accepted
/// under the request's idempotency key, the claim of the asked perk for the current period (see
/// <see cref="RedemptionPlanner.ClaimRowKey"/>), and the member's points holds (a never-stored row when none).
/// </summary>
public sealed record RedemptionState(RedemptionEntity? Earlier, PerkClaimEntity? Claim, PointsHoldsEntity Holds);
