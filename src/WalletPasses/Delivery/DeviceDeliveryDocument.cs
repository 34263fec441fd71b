namespace WalletPasses.Delivery;

/// <summary>One device's state in the delivery report.</summary>
public sealed record DeviceDeliveryDocument(
    string DeviceLibraryIdentifier,
    string State,
    DateTimeOffset? PushedAt,
    int? PushStatus,
    string? ApnsId,
    int Pushes,
    bool Repushed,
    DateTimeOffset? ListedAt,
    DateTimeOffset? FetchedAt);
