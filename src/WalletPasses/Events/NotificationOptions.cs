namespace WalletPasses.Events;

/// <summary>Section <c>WalletPasses:Notifications</c>: how often a pass update may alert on the lock screen.</summary>
public sealed class NotificationOptions
{
    public const string Section = "WalletPasses:Notifications";

    /// <summary>Lock-screen alerts per pass per 24 hours; beyond it updates are silent (Google allows 3).</summary>
    public int MaxPerDay { get; set; } = 3;
}
