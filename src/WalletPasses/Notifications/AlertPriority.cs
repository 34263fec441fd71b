namespace WalletPasses.Notifications;

/// <summary>How much an alert matters to the member: <c>important</c> members hear only of <see cref="Important"/> ones.</summary>
public enum AlertPriority
{
    /// <summary>Points changes and offers.</summary>
    Routine,

    /// <summary>A tier upgrade, perks unlocked.</summary>
    Important,
}
