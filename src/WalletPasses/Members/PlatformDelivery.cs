namespace WalletPasses.Members;

/// <summary>What a platform did with one delivery attempt of a pass version.</summary>
/// <param name="Done">The platform has the version (or nothing of it can ever be delivered): it leaves the announcement.</param>
/// <param name="Record">The platform's record of this version's delivery, handed back on the next attempt (Apple: per device).</param>
/// <param name="Error">Why it is not done, for operators.</param>
public sealed record PlatformDelivery(bool Done, string? Record, string? Error = null);
