using System.Diagnostics.CodeAnalysis;

namespace WalletPasses.Google;

/// <summary>
/// Whether this deployment issues Google Wallet passes (only when <c>WalletPasses:Google:IssuerId</c> is set),
/// and how its class and object ids are formed. Registered in both cases, so callers ask instead of guessing.
/// </summary>
public sealed class GoogleWalletFeature(string? issuerId)
{
    public const string IssuerIdSetting = "WalletPasses:Google:IssuerId";

    public string? IssuerId { get; } = string.IsNullOrWhiteSpace(issuerId) ? null : issuerId;

    [MemberNotNullWhen(true, nameof(IssuerId))]
    public bool Enabled => IssuerId is not null;

    /// <summary>One class per program; the prefix keeps it apart from other classes of the same issuer.</summary>
    public string ClassIdFor(string programId) => $"{RequiredIssuerId}.walletpasses-{programId}";

    /// <summary>One object per pass: the serial number (32 hex digits) is a valid, unguessable id suffix.</summary>
    public string ObjectIdFor(string serialNumber) => $"{RequiredIssuerId}.{serialNumber}";

    /// <summary>The serial number in an object id of this issuer, or null for anyone else's id.</summary>
    public string? SerialNumberOf(string objectId)
    {
        var prefix = RequiredIssuerId + ".";
        return objectId.StartsWith(prefix, StringComparison.Ordinal) ? objectId[prefix.Length..] : null;
    }

    private string RequiredIssuerId => IssuerId ?? throw new InvalidOperationException("Google Wallet is not configured.");
}
