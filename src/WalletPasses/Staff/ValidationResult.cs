namespace WalletPasses.Staff;

/// <summary>The answer to a scan; <see cref="Member"/> only for a valid pass.</summary>
public sealed record ValidationResult(
    bool Valid,
    string? Reason,
    StaffMemberView? Member,
    IReadOnlyList<PerkView> Perks,
    string ScanId,
    DateTimeOffset ScannedAt);
