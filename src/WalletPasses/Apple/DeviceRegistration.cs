namespace WalletPasses.Apple;

/// <summary>A device that asked to be told (by push) when a member's pass changes.</summary>
public sealed record DeviceRegistration(string DeviceLibraryIdentifier, string PushToken, string SerialNumber, DateTimeOffset RegisteredAt);
