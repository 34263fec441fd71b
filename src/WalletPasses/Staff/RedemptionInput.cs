namespace WalletPasses.Staff;

/// <summary>The body of <c>POST /api/redemptions</c>: a perk or an amount of points, never both.</summary>
public sealed record RedemptionInput(string? Barcode, string? PerkId, long? Points, string? Location, string? IdempotencyKey);
