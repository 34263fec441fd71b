namespace WalletPasses.Activity;

/// <summary>The <c>pass-activity</c> message of a scan.</summary>
public sealed record PassScanned(
    string Id,
    DateTimeOffset OccurredAt,
    string? Location,
    string StaffKey,
    bool Valid,
    string? Reason,
    string? SerialNumber,
    string? MemberId) : IPassActivity
{
    public string Type => PassActivityTypes.Scanned;

    /// <summary>The pop-up the scan happened at, when the staff page had one picked.</summary>
    public string? PopupId { get; init; }

    /// <summary>The scanned member's program (null when the pass matched no member); <c>memberId</c> is the id that program's backend knows.</summary>
    public string? ProgramId { get; init; }
}
