namespace WalletPasses.Popups;

/// <summary>Section <c>WalletPasses:Popups</c>: when passes start carrying a pop-up.</summary>
public sealed class PopupsOptions
{
    public const string Section = "WalletPasses:Popups";

    /// <summary>
    /// How long before it opens a pop-up is announced: from then until it closes, eligible passes carry it (Apple
    /// shows a location's relevantText on the lock screen near it, Google notifies near a merchant location). 0: only while open.
    /// </summary>
    public TimeSpan AnnounceBefore { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The most pop-ups one program may have stored (past ones included, until deleted).</summary>
    public int MaxPerProgram { get; set; } = 500;
}
