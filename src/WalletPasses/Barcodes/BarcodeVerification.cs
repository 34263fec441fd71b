namespace WalletPasses.Barcodes;

/// <param name="KeyId">The id (hex) of the key that signed the token, when it verified.</param>
public sealed record BarcodeVerification(bool IsValid, string? FailureReason, string? SerialNumber, DateTimeOffset? IssuedAt, string? KeyId = null)
{
    public static BarcodeVerification Invalid(string reason) => new(false, reason, null, null);
}
