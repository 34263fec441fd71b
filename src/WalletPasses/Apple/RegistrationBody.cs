using System.Text.Json.Serialization;

namespace WalletPasses.Apple;

/// <summary>The body of a device registration (Apple's PushToken object).</summary>
// Devices' firmware is not ours to fix: a property this service does not use is ignored, not refused.
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record RegistrationBody(string? PushToken);
