namespace WalletPasses.Apple;

/// <summary>A device that asked to be told (by push) when a member's pass changes.</summary>
/// <param name="RegisteredAt">When the device first registered for the pass, or last registered a new push token.</param>
/// <param name="LastRegisteredAt">
/// When the device last registered for the pass, a repeated registration (answered 200) included; null on registrations
/// stored before it was kept (then <paramref name="RegisteredAt"/> stands in).
/// </param>
public sealed record DeviceRegistration(string DeviceLibraryIdentifier, string PushToken, string SerialNumber, DateTimeOffset RegisteredAt, DateTimeOffset? LastRegisteredAt = null);
