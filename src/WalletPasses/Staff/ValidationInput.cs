namespace WalletPasses.Staff;

/// <summary>The body of <c>POST /api/validations</c>.</summary>
public sealed record ValidationInput(string? Barcode, string? Location);
