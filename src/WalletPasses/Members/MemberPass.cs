using WalletPasses.Notifications;

namespace WalletPasses.Members;

/// <summary>
/// The pass every platform shows for a member: one serial number, one barcode token, and a version that
/// moves whenever the pass content changes (Apple's "which passes changed" tag is built from versions).
/// <see cref="UpdatedAt"/> is the whole second of the version, never later than the clock that stamped it.
/// <see cref="Silent"/>: this version must not alert (the notification policy said so, or an erasure).
/// </summary>
public sealed record MemberPass(string SerialNumber, string BarcodeMessage, long Version, DateTimeOffset UpdatedAt, bool Voided, bool Silent)
{
    /// <summary>The short code printed under the QR code (see <see cref="Barcodes.ShortCodes"/>).</summary>
    public string BarcodeAltText { get; init; } = "";

    /// <summary>
    /// An earlier version has the same <see cref="UpdatedAt"/> second, so an HTTP date (whole seconds) cannot
    /// tell the two apart: If-Modified-Since of that second must not be answered 304.
    /// </summary>
    public bool SharesSecondWithPrevious { get; init; }

    /// <summary>
    /// The authenticationToken devices present for this pass, stored with the member (the one source of truth;
    /// null for passes issued before tokens were stored, whose token is derived from the signing secret).
    /// </summary>
    public string? AuthenticationToken { get; init; }

    /// <summary>Which of this version's changes may alert (none when <see cref="Silent"/>).</summary>
    public PassAlerts Alerts { get; init; } = PassAlerts.Legacy;

    /// <summary>What the notification policy decided for this version, for the delivery trace (null: nothing alert-worthy changed).</summary>
    public string? Notification { get; init; }

    /// <summary>The published template version this pass version was made for (0: before the program's first publication).</summary>
    public long TemplateVersion { get; init; }

    /// <summary>The revision of the program's carried pop-ups this version was made with (0: none); a pass is built with this revision's pop-ups or newer.</summary>
    public long PopupRevision { get; init; }
}
