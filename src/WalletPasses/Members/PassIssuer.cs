using System.Buffers.Text;
using System.Security.Cryptography;
using WalletPasses.Barcodes;
using WalletPasses.Programs;
using WalletPasses.Security;

namespace WalletPasses.Members;

/// <summary>
/// Issues what identifies a member's pass on every platform, in one place: serial numbers (32 lowercase hex digits,
/// random, so unguessable), authenticationTokens (32 random bytes, base64url: the one source of truth devices are
/// checked against, see <c>Apple.AuthenticationTokens</c>) and barcode tokens with their short codes (Barcodes), which
/// name the member's program (read off the member's storage key: no storage request).
/// </summary>
public sealed class PassIssuer(PassBarcodes barcodes, ProgramRegistry programs)
{
    /// <summary>Serial numbers are 32 lowercase hex digits; anything else is rejected before storage is asked.</summary>
    public static bool IsWellFormedSerialNumber(string? serialNumber) =>
        IdentifierFormat.SerialNumber.IsValid(serialNumber);

    /// <summary>A fresh authenticationToken (a new pass, or an operator's revocation of the old token).</summary>
    public static string NewAuthenticationToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public async Task<IssuedPass> IssueAsync(string memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var serialNumber = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return new IssuedPass(serialNumber, NewAuthenticationToken(), await barcodes.IssueAsync(serialNumber, programs.ProgramOf(memberId), now, cancellationToken));
    }

    /// <summary>A new barcode for the pass whatever the age of its current one (a revoked pass: its copies must stop redeeming).</summary>
    public Task<PassBarcode> NewBarcodeAsync(string memberId, string serialNumber, DateTimeOffset now, CancellationToken cancellationToken) =>
        barcodes.IssueAsync(serialNumber, programs.ProgramOf(memberId), now, cancellationToken);

    /// <summary>A new barcode for a pass version when its current token is due for rotation; null to keep it.</summary>
    public Task<PassBarcode?> ReissueBarcodeIfDueAsync(string memberId, string serialNumber, string currentToken, DateTimeOffset now, CancellationToken cancellationToken) =>
        barcodes.ReissueIfDueAsync(serialNumber, programs.ProgramOf(memberId), currentToken, now, cancellationToken);
}
