namespace WalletPasses.Popups;

/// <summary>Where a pop-up is in its life, on a clock (see <see cref="PopupRules.PhaseOf"/>).</summary>
public static class PopupPhase
{
    /// <summary>Before its announcement: no pass carries it yet.</summary>
    public const string Scheduled = "scheduled";

    /// <summary>Within <see cref="PopupsOptions.AnnounceBefore"/> of opening: eligible passes carry it.</summary>
    public const string Announced = "announced";

    public const string Open = "open";

    /// <summary>Past its closing: no pass carries it.</summary>
    public const string Closed = "closed";
}
