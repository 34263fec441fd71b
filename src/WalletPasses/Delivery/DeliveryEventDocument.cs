namespace WalletPasses.Delivery;

/// <summary>One trace row in the delivery report.</summary>
public sealed record DeliveryEventDocument(DateTimeOffset At, string Kind, string? Device, long? Version, int? Status, string? Detail, string? ApnsId, int Count);
