namespace WalletPasses.Delivery;

/// <summary>Where one device stands with the member's latest pass version.</summary>
public sealed record DeviceDelivery(
    string DeviceLibraryIdentifier,
    string State,
    DevicePush? Push,
    DateTimeOffset? ListedAt,
    DateTimeOffset? FetchedAt);
