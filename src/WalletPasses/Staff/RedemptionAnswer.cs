namespace WalletPasses.Staff;

/// <summary>
/// The answer to an accepted redemption, stored and replayed verbatim for the same idempotency key.
/// <see cref="Status"/>: <c>redeemed</c> (a perk, 200) or <c>requested</c> (points, 202: the backend decides).
/// </summary>
public sealed record RedemptionAnswer(string RedemptionId, string Status, DateTimeOffset At, StaffMemberView Member, PerkView? Perk, long? Points);
