namespace WalletPasses.Apple;

/// <summary>The answer to "which of my passes changed": <c>lastUpdated</c> is an opaque tag the device sends back (<see cref="UpdatedPassesTag"/>).</summary>
public sealed record UpdatedPasses(IReadOnlyList<string> SerialNumbers, string LastUpdated);
