namespace WalletPasses.Delivery;

/// <param name="DevicesCurrentShare">Share of checked devices holding the latest version; null before any check.</param>
public sealed record DeliveryHealth(double? DevicesCurrentShare, int DevicesChecked, int DevicesRepushed, DateTimeOffset? CheckedAt);
