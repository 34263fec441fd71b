namespace WalletPasses.Delivery;

/// <summary>A device registered for a member's pass, as the census reads it from the member's <c>reg|</c> rows.</summary>
public sealed record CensusRegistration(string DeviceLibraryIdentifier, string SerialNumber, DateTimeOffset RegisteredAt);
