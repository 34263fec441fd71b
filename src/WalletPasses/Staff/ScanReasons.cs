namespace WalletPasses.Staff;

/// <summary>Why a scanned barcode is not a valid pass; the codes staff clients show and branch on.</summary>
public static class ScanReasons
{
    /// <summary>Not a WalletPasses token at all, or cut short.</summary>
    public const string Malformed = "malformed";

    /// <summary>Signed with another deployment's (another program's) key.</summary>
    public const string UnknownKey = "unknown-key";

    /// <summary>Our key id, but the signature does not verify.</summary>
    public const string Forged = "forged";

    /// <summary>Genuine token, but no such pass (never issued here, or its member is gone).</summary>
    public const string Unknown = "unknown";

    /// <summary>The pass was voided: its member was erased, or a newer pass replaced it.</summary>
    public const string Voided = "voided";

    /// <summary>A genuine barcode of the pass, but an older one than the pass now shows: a screenshot or an old copy.</summary>
    public const string Outdated = "outdated";
}
