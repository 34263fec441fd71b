namespace WalletPasses.Staff;

/// <summary>
/// The answer to a scan; <see cref="Member"/> and <see cref="SerialNumber"/> only for a valid pass. The serial number
/// (which the QR code carries in the clear) names the pass whichever way it was entered, scanned or typed from the code
/// under the QR: the staff page keys a redemption's pending idempotency key by it, so a retry after a lost answer
/// replays whichever way the pass is entered again.
/// </summary>
public sealed record ValidationResult(
    bool Valid,
    string? Reason,
    StaffMemberView? Member,
    IReadOnlyList<PerkView> Perks,
    string ScanId,
    DateTimeOffset ScannedAt,
    string? SerialNumber = null);
