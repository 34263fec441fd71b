namespace WalletPasses.Notifications;

/// <summary>One alert-worthy change of a pass version and how much it matters.</summary>
public sealed record PassAlert(PassAlerts Kind, AlertPriority Priority);
