namespace WalletPasses.Notifications;

/// <summary>An important alert that fell in quiet hours: the tier to announce and when quiet hours end.</summary>
public sealed record DeferredAlert(string Tier, DateTimeOffset Until);
