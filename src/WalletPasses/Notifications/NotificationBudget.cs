namespace WalletPasses.Notifications;

/// <summary>Alerts a pass gave in the last 24 hours (Apple and Google together) against the most it may give.</summary>
public sealed record NotificationBudget(int Used, int PerDay)
{
    public bool Exhausted => Used >= PerDay;
}
