namespace WalletPasses.Staff;

/// <summary>
/// One redemption request after input validation: the body, the idempotency key (header or body), the staff
/// key that asks, the staff device's language, and the id a new redemption gets.
/// </summary>
public sealed record RedemptionRequest(RedemptionInput Input, string IdempotencyKey, string StaffKey, string Language, string NewRedemptionId);
