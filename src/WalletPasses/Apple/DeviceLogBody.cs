using System.Text.Json.Serialization;

namespace WalletPasses.Apple;

/// <summary>The body of a device's error report.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record DeviceLogBody(IReadOnlyList<string?>? Logs);
