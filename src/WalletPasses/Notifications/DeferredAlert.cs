namespace WalletPasses.Notifications;

/// <summary>An important alert that fell in quiet hours or over the budget: the tier to announce and when it may go out.</summary>
public sealed record DeferredAlert(string Tier, DateTimeOffset Until);
