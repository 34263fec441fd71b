namespace WalletPasses.Barcodes;

/// <param name="KeyId">The id (hex) of the key that signed the token, when it verified.</param>
/// <param name="ProgramTag">The tag (hex) of the pass's program (<see cref="BarcodeTokens.ProgramTag"/>); null for a WP1 token, which names none.</param>
public sealed record BarcodeVerification(bool IsValid, string? FailureReason, string? SerialNumber, DateTimeOffset? IssuedAt, string? KeyId = null, string? ProgramTag = null)
{
    public static BarcodeVerification Invalid(string reason) => new(false, reason, null, null);
}
