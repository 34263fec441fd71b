namespace WalletPasses.Barcodes;

/// <summary>Settings of the barcode token key, section <c>WalletPasses:Barcode</c>.</summary>
public sealed class BarcodeOptions
{
    public const string Section = "WalletPasses:Barcode";

    /// <summary>
    /// Screenshot policy: a pass version made when the barcode is at least this old carries a new barcode (token
    /// and short code), and the old one checks as outdated. Zero: a new barcode with every pass version.
    /// </summary>
    public TimeSpan ReissueAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Path of the ECDSA P-256 private key (PEM, PKCS#8 or SEC1).</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>The same key as PEM text, for settings backed by Key Vault.</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>
    /// More keys whose tokens still verify, as PEM text with one or more <c>PUBLIC KEY</c> blocks (a private key's
    /// public half is taken too): published by <c>/api/barcode-keys</c> beside the signing key, never signing. A key
    /// is listed here before it signs (so offline staff devices have it in time) and after (so barcodes it signed
    /// keep verifying); removing it is how a key is retired (README, "Rotating the barcode key").
    /// </summary>
    public string? AcceptedKeysPem { get; set; }

    /// <summary>The same PEM blocks in a file.</summary>
    public string? AcceptedKeysFile { get; set; }
}
