namespace WalletPasses.Staff;

/// <summary>The body of <c>POST /api/redemptions</c>: a perk or an amount of points, never both.</summary>
/// <remarks>Only <c>barcode</c> has no default: the idempotency key may come as the <c>Idempotency-Key</c> header instead.</remarks>
public sealed record RedemptionInput(string? Barcode, string? PerkId = null, long? Points = null, string? Location = null, string? IdempotencyKey = null);
